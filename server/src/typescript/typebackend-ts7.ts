// The TypeScript 7 type backend (experimental): the native compiler (`typescript@7` from npm,
// installed as the `typescript7` alias with its platform binary) runs as a child process and is
// asked through its unstable synchronous API (`typescript/unstable/sync`): one project load per
// tsconfig, then per file one request for its tree and one batched getTypeAtLocation for every
// candidate. The rules' nodes are TS 6 nodes; they are matched to TS 7 nodes by span and kind name
// (both compilers count UTF-16 offsets and name their syntax kinds alike). Answers are computed
// per distinct TS 7 type and cached, because every further question is a round trip.
// Only the shapes used here are declared below, so an API change fails loudly at run time instead
// of leaking unstable types into ours.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { scriptKindFor } from './host';
// Type only: typebackend.ts loads this module on demand, and this one needs nothing of it at run time.
import type { TypeBackend } from './typebackend';
import type { Awaitable } from './types';

// ---- the slice of the TS 7 API we use ------------------------------------------------------------

interface T7Node {
  readonly kind: number;
  readonly pos: number;
  readonly end: number;
  forEachChild<T>(visit: (node: T7Node) => T): T | undefined;
}

interface T7Symbol {
  readonly name: string;
}

interface T7Signature {
  getParameters(): readonly T7Symbol[];
}

interface T7Type {
  readonly id: number;
  readonly flags: number;
  isUnionType(): boolean;
  getTypes(): readonly T7Type[] | undefined;
}

interface T7Checker {
  getTypeAtLocation(nodes: readonly T7Node[]): (T7Type | undefined)[];
  getApparentType(type: T7Type): T7Type | undefined;
  getBaseConstraintOfType(type: T7Type): T7Type | undefined;
  getPropertyOfType(type: T7Type, name: string): T7Symbol | undefined;
  getTypeOfSymbol(symbol: T7Symbol): T7Type | undefined;
  getSignaturesOfType(type: T7Type, kind: number): readonly T7Signature[];
}

interface T7Project {
  readonly configFileName: string;
  readonly program: { getSourceFile(file: string): T7Node | undefined };
  readonly checker: T7Checker;
}

interface T7Snapshot {
  getProject(configFileName: string): T7Project | undefined;
  getDefaultProjectForFile(file: string): T7Project | undefined;
  dispose(): void;
}

interface T7Api {
  updateSnapshot(params: { openProjects?: string[]; openFiles?: string[] }): T7Snapshot;
  close(): void;
}

interface T7Module {
  API: new (options: { cwd?: string }) => T7Api;
  TypeFlags: Record<string, number>;
  SignatureKind: { Call: number };
}

interface T7Ast {
  SyntaxKind: Record<string, number | string>;
}

/** The native compiler's API, or an error that says how to get it. */
export function loadTypeScript7(): { api: T7Module; ast: T7Ast } {
  try {
    return {
      api: require('typescript7/unstable/sync') as T7Module,
      ast: require('typescript7/unstable/ast') as T7Ast,
    };
  } catch (e) {
    throw new Error(`the TypeScript 7 backend needs the 'typescript7' package (npm i -D typescript7@npm:typescript@7.0.2): ${(e as Error).message}`);
  }
}

// ---- the backend ---------------------------------------------------------------------------------

export class NativeTypeBackend implements TypeBackend {
  readonly kind = 'typescript7' as const;
  private readonly kindNames: Record<string, number | string>;
  private readonly api: T7Api;
  private snapshot: T7Snapshot | undefined;
  private readonly openConfigs: string[] = [];
  private readonly openFiles = new Set<string>();
  /** Per TS 7 type id (ids are stable within a snapshot). */
  private readonly answers = new Map<number, Awaitable>();
  private readonly thenables = new Map<number, boolean>();
  private readonly flags: { any: number; unknown: number; typeParameter: number; call: number };

  constructor(readonly cwd: string) {
    const { api, ast } = loadTypeScript7();
    this.kindNames = ast.SyntaxKind;
    this.api = new api.API({ cwd });
    const f = api.TypeFlags;
    this.flags = { any: f.Any, unknown: f.Unknown, typeParameter: f.TypeParameter, call: api.SignatureKind.Call };
  }

  sourceFile(file: string): ts.SourceFile {
    const abs = path.resolve(file);
    // A bare parse with parent pointers, as the rules need (no program, no lib files).
    return ts.createSourceFile(abs, fs.readFileSync(abs, 'utf8'), ts.ScriptTarget.Latest, true, scriptKindFor(abs));
  }

  awaitability(sourceFile: ts.SourceFile, nodes: readonly ts.Node[]): Awaitable[] {
    if (nodes.length === 0) return [];
    const file = path.resolve(sourceFile.fileName);
    const project = this.projectFor(file);
    const root = project?.program.getSourceFile(file);
    if (!project || !root) return nodes.map(() => 'may');
    const matched = this.match(root, nodes);
    const present = matched.filter((n): n is T7Node => n !== undefined);
    const types = present.length > 0 ? project.checker.getTypeAtLocation(present) : [];
    const out: Awaitable[] = [];
    let k = 0;
    for (const n of matched) {
      if (!n) {
        out.push('may'); // no TS 7 node at that span: say nothing rather than guess
        continue;
      }
      const type = types[k++];
      out.push(type ? this.awaitable(project.checker, type) : 'may');
    }
    return out;
  }

  dispose(): void {
    this.snapshot?.dispose();
    this.api.close();
  }

  /**
   * The project of the nearest tsconfig.json (opened once) when it holds the file; otherwise the
   * file is opened on its own and TypeScript 7 picks its project (an inferred one, as for a .js
   * file beside a .ts file of the same name, which a tsconfig leaves out).
   */
  private projectFor(file: string): T7Project | undefined {
    const config = nearestConfig(path.dirname(file));
    if (config && !this.openConfigs.includes(config)) {
      this.openConfigs.push(config);
      this.update({ openProjects: [config] });
    }
    this.snapshot ??= this.api.updateSnapshot({});
    const configured = config ? this.snapshot.getProject(config) : undefined;
    if (configured?.program.getSourceFile(file)) return configured;
    if (!this.openFiles.has(file)) {
      this.openFiles.add(file);
      this.update({ openFiles: [file] });
    }
    return this.snapshot!.getDefaultProjectForFile(file);
  }

  /** A new snapshot (opens are kept by the API across snapshots); type ids start afresh. */
  private update(params: { openProjects?: string[]; openFiles?: string[] }): void {
    this.snapshot?.dispose();
    this.snapshot = this.api.updateSnapshot(params);
    this.answers.clear();
    this.thenables.clear();
  }

  /** The TS 7 node with each TS 6 node's span and kind. */
  private match(root: T7Node, nodes: readonly ts.Node[]): (T7Node | undefined)[] {
    const key = (pos: number, end: number, kind: number | string | undefined) => `${pos}:${end}:${kind}`;
    const wanted = new Map<string, T7Node | undefined>();
    for (const n of nodes) wanted.set(key(n.pos, n.end, this.kindNames[ts.SyntaxKind[n.kind]]), undefined);
    let left = wanted.size;
    const stack: T7Node[] = [root];
    while (stack.length > 0 && left > 0) {
      const n = stack.pop()!;
      const k = key(n.pos, n.end, n.kind);
      if (wanted.has(k) && wanted.get(k) === undefined) {
        wanted.set(k, n);
        left--;
      }
      n.forEachChild((c) => {
        stack.push(c);
        return undefined;
      });
    }
    return nodes.map((n) => wanted.get(key(n.pos, n.end, this.kindNames[ts.SyntaxKind[n.kind]])));
  }

  /** needsToBeAwaited (types.ts) over the TS 7 checker. */
  private awaitable(checker: T7Checker, type: T7Type): Awaitable {
    const cached = this.answers.get(type.id);
    if (cached) return cached;
    let t: T7Type | undefined = type;
    let answer: Awaitable;
    if (t.flags & this.flags.typeParameter) {
      t = checker.getBaseConstraintOfType(t);
      if (!t || t.flags & (this.flags.unknown | this.flags.any)) t = undefined;
    }
    if (!t || t.flags & (this.flags.any | this.flags.unknown)) answer = 'may';
    else answer = this.isThenable(checker, t) ? 'always' : 'never';
    this.answers.set(type.id, answer);
    return answer;
  }

  /** ts-api-utils' isThenableType: some part has a `then` whose first parameter is callable. */
  private isThenable(checker: T7Checker, type: T7Type): boolean {
    const cached = this.thenables.get(type.id);
    if (cached !== undefined) return cached;
    let result = false;
    outer: for (const part of parts(checker.getApparentType(type) ?? type)) {
      const then = checker.getPropertyOfType(part, 'then');
      if (!then) continue;
      const thenType = checker.getTypeOfSymbol(then);
      if (!thenType) continue;
      for (const sub of parts(thenType)) {
        for (const signature of checker.getSignaturesOfType(sub, this.flags.call)) {
          const [first] = signature.getParameters();
          if (!first) continue;
          const paramType = checker.getTypeOfSymbol(first);
          if (!paramType) continue;
          for (const p of parts(checker.getApparentType(paramType) ?? paramType)) {
            if (checker.getSignaturesOfType(p, this.flags.call).length > 0) {
              result = true;
              break outer;
            }
          }
        }
      }
    }
    this.thenables.set(type.id, result);
    return result;
  }
}

function parts(type: T7Type): readonly T7Type[] {
  return type.isUnionType() ? (type.getTypes() ?? [type]) : [type];
}

function nearestConfig(dir: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    const candidate = path.join(d, 'tsconfig.json');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(d) === d || path.basename(d) === 'node_modules') return undefined;
  }
}
