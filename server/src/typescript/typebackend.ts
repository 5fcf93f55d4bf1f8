// A type backend answers the type questions of the TypeScript rules about nodes of the TS 6 tree
// they walk, one batched question per file. Two implementations, switchable:
//   typescript6  the bundled compiler in process (the ProjectHost's program and checker);
//   typescript7  the native compiler (`typescript@7`, installed as `typescript7`) in a child
//                process, through its unstable synchronous API (typebackend-ts7.ts).
// This is an experiment (bench/typebackends.mjs measures both on the benchmark corpus; the test
// test/typebackend.test.ts checks that they agree on every fixture). The rules still ask the
// TS 6 checker directly; only the question that dominates their checker time (must this value be
// awaited?, asked by `unawaited` for every expression statement) is behind this interface so far.
import path from 'node:path';
import ts from 'typescript';
import { ProjectHost } from './host';
import { needsToBeAwaited, type Awaitable } from './types';

export type TypeBackendKind = 'typescript6' | 'typescript7';

export interface TypeBackend {
  readonly kind: TypeBackendKind;
  /**
   * The tree of a file that the questions are about: for typescript6 the program's bound source
   * file, for typescript7 a bare TS 6 parse of the same text (positions are the same).
   */
  sourceFile(file: string): ts.SourceFile;
  /** For each node (of `sourceFile(file)`), whether its value must be awaited. */
  awaitability(sourceFile: ts.SourceFile, nodes: readonly ts.Node[]): Awaitable[];
  /** Closes a child process, drops programs. */
  dispose(): void;
}

export function createTypeBackend(kind: TypeBackendKind, options: { host?: ProjectHost; cwd?: string } = {}): TypeBackend {
  if (kind === 'typescript6') return new InProcessTypeBackend(options.host ?? new ProjectHost());
  // Loaded only when asked for: the native compiler is an optional, experimental dependency.
  const { NativeTypeBackend } = require('./typebackend-ts7') as typeof import('./typebackend-ts7');
  return new NativeTypeBackend(options.cwd ?? process.cwd());
}

/** TypeScript 6 in this process: the ProjectHost's program, its checker, ts-api-utils predicates. */
export class InProcessTypeBackend implements TypeBackend {
  readonly kind = 'typescript6' as const;

  constructor(readonly host: ProjectHost) {}

  sourceFile(file: string): ts.SourceFile {
    const abs = path.resolve(file);
    const sf = this.host.projectFor(abs).program().getSourceFile(abs);
    if (!sf) throw new Error(`${abs} is not in its TypeScript program`);
    return sf;
  }

  awaitability(sourceFile: ts.SourceFile, nodes: readonly ts.Node[]): Awaitable[] {
    const checker = this.host.projectFor(sourceFile.fileName).program().getTypeChecker();
    return nodes.map((n) => needsToBeAwaited(checker, n));
  }

  dispose(): void {
    this.host.dispose();
  }
}

/**
 * The candidates `unawaited` asks about: each expression statement's value (parentheses and
 * assertions stripped) when it is a call, `new`, tagged template, name or member access. The
 * benchmark and the agreement test ask both backends about exactly these.
 */
export function awaitCandidates(sourceFile: ts.SourceFile): ts.Expression[] {
  const out: ts.Expression[] = [];
  const stack: ts.Node[] = [sourceFile];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (ts.isExpressionStatement(node)) {
      let e = node.expression;
      while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
      if (
        ts.isCallExpression(e) ||
        ts.isNewExpression(e) ||
        ts.isTaggedTemplateExpression(e) ||
        ts.isIdentifier(e) ||
        ts.isPropertyAccessExpression(e) ||
        ts.isElementAccessExpression(e)
      ) {
        out.push(e);
      }
    }
    ts.forEachChild(node, (child) => {
      stack.push(child);
    });
  }
  return out.sort((a, b) => a.pos - b.pos);
}
