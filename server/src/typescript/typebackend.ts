// The type questions of the TypeScript rules. Rules and their helpers never hold a ts.TypeChecker
// or a ts.Program: they ask `Types`, a subset of the checker's own interface (same names, same
// meaning) with symbols, types and signatures as the small interfaces below, plus the few
// program questions they need. Two implementations, chosen per run (see engine.ts):
//   typescript6  the bundled compiler in process: `CheckerTypes` below passes every question to
//                the program's checker, and its answers are TypeScript 6's own objects;
//   typescript7  the native compiler (`typescript@7`, installed as `typescript7`) in a child
//                process (typebackend-ts7.ts): questions about nodes are gathered and answered
//                in batches, one request per file and kind, and everything derived from a type
//                or a symbol is asked once per project.
// Declarations are always nodes of TypeScript 6 trees (the rules read their syntax), so
// `symbol.valueDeclaration` and `signature.declaration` mean what they mean in TypeScript 6.
import type ts from 'typescript';

export type TypeBackendKind = 'typescript6' | 'typescript7';

export const TYPE_BACKEND_KINDS: readonly TypeBackendKind[] = ['typescript6', 'typescript7'];

/** A symbol: ts.Symbol with TypeScript 6, a proxy of the native compiler's with TypeScript 7. */
export interface TSymbol {
  readonly name: string;
  readonly flags: ts.SymbolFlags;
  readonly declarations?: readonly ts.Declaration[];
  readonly valueDeclaration?: ts.Declaration;
}

export interface TSignature {
  readonly declaration?: ts.Node;
  readonly parameters: readonly TSymbol[];
  getReturnType(): TType;
}

export interface TType {
  readonly flags: ts.TypeFlags;
  readonly aliasSymbol?: TSymbol;
  isUnion(): this is TUnionOrIntersection;
  isIntersection(): this is TUnionOrIntersection;
  getSymbol(): TSymbol | undefined;
  getCallSignatures(): readonly TSignature[];
  getProperties(): readonly TSymbol[];
  getProperty(name: string): TSymbol | undefined;
  getNumberIndexType(): TType | undefined;
}

export interface TUnionOrIntersection extends TType {
  readonly types: readonly TType[];
}

/** A source file of the program that is the project's own (not a declaration file, not from a package). */
export interface OwnFile {
  readonly text: string;
  /** Its tree (parsed on first use with TypeScript 7). */
  sourceFile(): ts.SourceFile;
}

/**
 * What the rules may ask about types and symbols: the TypeScript checker's methods of the same
 * names, and a few program questions. Ask only about candidate nodes.
 */
export interface Types {
  readonly kind: TypeBackendKind;
  getTypeAtLocation(node: ts.Node): TType;
  getSymbolAtLocation(node: ts.Node): TSymbol | undefined;
  getShorthandAssignmentValueSymbol(node: ts.ShorthandPropertyAssignment): TSymbol | undefined;
  getExportSpecifierLocalTargetSymbol(node: ts.ExportSpecifier): TSymbol | undefined;
  getExportSymbolOfSymbol(symbol: TSymbol): TSymbol;
  /** May throw, as the checker's does (a circular alias). */
  getAliasedSymbol(symbol: TSymbol): TSymbol;
  getImmediateAliasedSymbol(symbol: TSymbol): TSymbol | undefined;
  resolveName(name: string, location: ts.Node, meaning: ts.SymbolFlags, excludeGlobals: boolean): TSymbol | undefined;
  getResolvedSignature(node: ts.CallLikeExpression): TSignature | undefined;
  getContextualType(node: ts.Expression): TType | undefined;
  getTypeOfSymbol(symbol: TSymbol): TType;
  getApparentType(type: TType): TType;
  getBaseConstraintOfType(type: TType): TType | undefined;
  getNonNullableType(type: TType): TType;
  getPropertyOfType(type: TType, name: string): TSymbol | undefined;
  isArrayType(type: TType): boolean;
  isTupleType(type: TType): boolean;
  getTypeArguments(type: TType): readonly TType[];
  typeToString(type: TType, enclosingDeclaration?: ts.Node, flags?: ts.TypeFormatFlags): string;

  // ---- not on ts.TypeChecker ----
  /** program.isSourceFileDefaultLibrary: a lib.*.d.ts file of the compiler. */
  isSourceFileDefaultLibrary(file: ts.SourceFile): boolean;
  /**
   * `symbol` is `target`, or a copy of it the checker made for an instantiated, mapped or union
   * type (TypeScript 6: `checker.getRootSymbols(symbol).includes(target)`).
   */
  isSymbolOrCopyOf(symbol: TSymbol, target: TSymbol): boolean;
  /** The same object for every file of one program: a key for what is cached per program. */
  readonly programKey: object;
  /** The program's own source files (no declaration files, no files from packages). */
  ownFiles(): readonly OwnFile[];
}

/** TypeScript 6 in this process: the program's checker answers; its objects are passed as they are. */
export class CheckerTypes implements Types {
  readonly kind = 'typescript6' as const;

  constructor(
    readonly program: ts.Program,
    readonly checker: ts.TypeChecker,
  ) {}

  get programKey(): object {
    return this.program;
  }

  getTypeAtLocation(node: ts.Node): TType {
    return this.checker.getTypeAtLocation(node);
  }

  getSymbolAtLocation(node: ts.Node): TSymbol | undefined {
    return this.checker.getSymbolAtLocation(node);
  }

  getShorthandAssignmentValueSymbol(node: ts.ShorthandPropertyAssignment): TSymbol | undefined {
    return this.checker.getShorthandAssignmentValueSymbol(node);
  }

  getExportSpecifierLocalTargetSymbol(node: ts.ExportSpecifier): TSymbol | undefined {
    return this.checker.getExportSpecifierLocalTargetSymbol(node);
  }

  getExportSymbolOfSymbol(symbol: TSymbol): TSymbol {
    return this.checker.getExportSymbolOfSymbol(symbol as ts.Symbol);
  }

  getAliasedSymbol(symbol: TSymbol): TSymbol {
    return this.checker.getAliasedSymbol(symbol as ts.Symbol);
  }

  getImmediateAliasedSymbol(symbol: TSymbol): TSymbol | undefined {
    return this.checker.getImmediateAliasedSymbol(symbol as ts.Symbol);
  }

  resolveName(name: string, location: ts.Node, meaning: ts.SymbolFlags, excludeGlobals: boolean): TSymbol | undefined {
    return this.checker.resolveName(name, location, meaning, excludeGlobals);
  }

  getResolvedSignature(node: ts.CallLikeExpression): TSignature | undefined {
    return this.checker.getResolvedSignature(node);
  }

  getContextualType(node: ts.Expression): TType | undefined {
    return this.checker.getContextualType(node);
  }

  getTypeOfSymbol(symbol: TSymbol): TType {
    return this.checker.getTypeOfSymbol(symbol as ts.Symbol);
  }

  getApparentType(type: TType): TType {
    return this.checker.getApparentType(type as ts.Type);
  }

  getBaseConstraintOfType(type: TType): TType | undefined {
    return this.checker.getBaseConstraintOfType(type as ts.Type);
  }

  getNonNullableType(type: TType): TType {
    return this.checker.getNonNullableType(type as ts.Type);
  }

  getPropertyOfType(type: TType, name: string): TSymbol | undefined {
    return this.checker.getPropertyOfType(type as ts.Type, name);
  }

  isArrayType(type: TType): boolean {
    return this.checker.isArrayType(type as ts.Type);
  }

  isTupleType(type: TType): boolean {
    return this.checker.isTupleType(type as ts.Type);
  }

  getTypeArguments(type: TType): readonly TType[] {
    return this.checker.getTypeArguments(type as ts.TypeReference);
  }

  typeToString(type: TType, enclosingDeclaration?: ts.Node, flags?: ts.TypeFormatFlags): string {
    return this.checker.typeToString(type as ts.Type, enclosingDeclaration, flags);
  }

  isSourceFileDefaultLibrary(file: ts.SourceFile): boolean {
    return this.program.isSourceFileDefaultLibrary(file);
  }

  isSymbolOrCopyOf(symbol: TSymbol, target: TSymbol): boolean {
    return symbol === target || this.checker.getRootSymbols(symbol as ts.Symbol).includes(target as ts.Symbol);
  }

  private own: OwnFile[] | undefined;

  ownFiles(): readonly OwnFile[] {
    if (!this.own) {
      const program = this.program;
      this.own = ownFilesOf.get(program);
      if (!this.own) {
        this.own = program
          .getSourceFiles()
          .filter((sf) => !sf.isDeclarationFile && !program.isSourceFileFromExternalLibrary(sf))
          .map((sf) => ({ text: sf.text, sourceFile: () => sf }));
        ownFilesOf.set(program, this.own);
      }
    }
    return this.own;
  }
}

const ownFilesOf = new WeakMap<ts.Program, OwnFile[]>();
