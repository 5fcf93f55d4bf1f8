// The TypeScript/JavaScript language backend: gets the file's program from the ProjectHost,
// walks the file once, and dispatches nodes to the enabled rules' handlers.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import ts from 'typescript';
import {
  isStackOverflow,
  type Analysis,
  type AnalysisRequest,
  type LanguageBackend,
  type RuleReport,
} from '../engine/linter';
import { AnalysisStopped, RuleDispatch, type Visitor } from '../engine/dispatch';
import type { LineSafety } from '../engine/directive-edit';
import type { Comment, Fix, SyntaxProblem } from '../engine/types';
import { parseDiagnostics, type Project, ProjectHost, scriptKindFor } from './host';
import { TYPESCRIPT } from './language';
import { Ts6Engine, type OpenedFile, type Ts7Engine, type TypeEngine } from './engine';
import { tsLineSafety } from './line-safety';
import { TsCacheSupport } from './recording';
import { TS_RULES } from './rules';
import { nodesInOrder, type TsRule, type TsRuleContext } from './rule';
import type { Types } from './typebackend';
import { recoverFromParserOverflow, withEnclosingFunctionMemo } from './utils';

const DIRECTIVE_MARK = 'async-lint-disable';
/** Honoured ESLint suppressions (engine/suppress.ts). */
const ESLINT_DIRECTIVE_MARK = 'eslint-disable';

/**
 * Deepest node analysed. TypeScript parses operator, call and member chains without recursion, so
 * a generated `a(), b(), ...` or `x + y + ...` of 10,000 terms parses, but the checker resolves
 * each name there by walking up its ancestors: time grows with the square of the depth (seconds
 * at 10,000; tsc itself takes longer on such a file). Real code, minified bundles included, stays
 * under 100 levels.
 */
export const MAX_ANALYSED_DEPTH = 1000;

const TOO_DEEP_FOR_CHECKER = {
  reason: 'too-deep',
  message: `skipped: nested too deeply to analyse (more than ${MAX_ANALYSED_DEPTH} levels; the type checker's time grows with the square of the depth)`,
} as const;

/**
 * Rounds of the rules run only to gather their questions for TypeScript 7 (each round asks what
 * the one before found out it needs); then a last run asks whatever is left one by one.
 */
const MAX_RECORDING_ROUNDS = 6;

export class TypeScriptBackend implements LanguageBackend {
  readonly language = TYPESCRIPT.language;
  readonly extensions = TYPESCRIPT.extensions;
  readonly languageIds = TYPESCRIPT.languageIds;
  readonly lineComment = TYPESCRIPT.lineComment;
  readonly ruleIds: readonly string[];
  private readonly rules: ReadonlyMap<string, TsRule>;
  private current: TypeEngine;
  /** The files announced by prepare(), for an engine that takes over. */
  private prepared: readonly string[] = [];
  /** Why TypeScript 7 was given up during this run, if it was. */
  private gaveUp: string | undefined;
  /**
   * Records what programs read when the host reads through a RecordingFileSystem (the CLI's
   * --cache): TypeScript 6's programs; with TypeScript 7 nothing is built here, and no result is
   * cached.
   */
  readonly cache: TsCacheSupport;

  constructor(
    readonly host: ProjectHost = new ProjectHost(),
    rules: readonly TsRule[] = TS_RULES,
    engine?: TypeEngine,
  ) {
    this.rules = new Map(rules.map((r) => [r.id, r]));
    this.ruleIds = rules.map((r) => r.id);
    this.current = engine ?? new Ts6Engine(host);
    this.cache = new TsCacheSupport(host);
  }

  get engine(): TypeEngine {
    return this.current;
  }

  async ready(): Promise<void> {}

  prepare(files: readonly string[]): void {
    this.prepared = files;
    try {
      this.current.prepare(files);
    } catch (e) {
      if (!this.giveUpTypeScript7(e)) throw e;
    }
    this.cache.prepared(files);
  }

  /**
   * TypeScript 7 failed in a way that is not about the file (its process could not start or
   * died, its API refused a request): the rest of the run uses TypeScript 6, which finds the
   * same. True if it did so.
   */
  private giveUpTypeScript7(e: unknown): boolean {
    if (this.current.kind !== 'typescript7' || e instanceof AnalysisStopped || isStackOverflow(e)) return false;
    this.gaveUp = (e as Error).message?.split('\n')[0] ?? String(e);
    try {
      (this.current as Ts7Engine).closeCompiler();
    } catch {
      // it failed already
    }
    this.current = new Ts6Engine(this.host, `TypeScript 7 failed (${this.gaveUp}); TypeScript 6 did the rest`);
    this.current.prepare(this.prepared);
    return true;
  }

  fileChanged(file: string): void {
    this.engine.fileChanged(file);
  }

  closeDocument(file: string): void {
    this.engine.closeDocument(file);
  }

  projects(): readonly Project[] {
    return this.host.projects();
  }

  statsNotes(): string[] {
    const counters = Object.entries(this.engine.counters()).map(([k, v]) => `${k}: ${v}`);
    return [`type backend: ${this.engine.describe()}`, ...(counters.length > 0 ? [`  ${counters.join(', ')}`] : [])];
  }

  dispose(): void {
    this.engine.dispose();
  }

  analyze(request: AnalysisRequest): Analysis {
    try {
      return this.analyzeFile(request);
    } catch (e) {
      recoverFromParserOverflow(e);
      if (this.giveUpTypeScript7(e)) return this.analyze(request);
      throw e;
    }
  }

  private analyzeFile(request: AnalysisRequest): Analysis {
    const file = path.resolve(request.path);
    const opened = this.engine.open(file, request.text, request.version, request.timings);
    const batching = opened.batching;
    if (!batching || request.rules.length === 0)
      return this.finish(
        file,
        this.runRules(request, opened, request.rules, () => opened.types()),
      );

    // TypeScript 7: run the rules to learn their questions, answer them in batches, and run again
    // the rules that asked something not known yet, until none does. A rule's findings are those
    // of its last run, which asked nothing unknown (so it saw only real answers).
    const done: Analysis[] = [];
    let active: readonly string[] = request.rules;
    for (let round = 0; round < MAX_RECORDING_ROUNDS && active.length > 0; round++) {
      batching.startRecording();
      let result: Analysis;
      try {
        result = this.runRules(request, opened, active, (id) => batching.forRule(id));
      } finally {
        batching.stopRecording();
      }
      const waiting = batching.rulesWaiting();
      done.push(onlyRules(result, (id) => !waiting.has(id)));
      active = active.filter((id) => waiting.has(id));
      if (active.length === 0) break;
      (this.engine as Ts7Engine).countRound();
      const t0 = performance.now();
      batching.answerRecorded();
      if (request.timings) request.timings.types = (request.timings.types ?? 0) + (performance.now() - t0);
    }
    // Rules still asking after the last round run once more, their questions asked one by one.
    if (active.length > 0) done.push(this.runRules(request, opened, active, () => batching));
    const [first] = done;
    return this.finish(file, {
      ...first,
      reports: done.flatMap((a) => a.reports),
      ruleFailures: done.flatMap((a) => a.ruleFailures),
    });
  }

  private finish(file: string, analysis: Analysis): Analysis {
    // A request failed inside a rule (which reported it as its own failure): give the file to TypeScript 6.
    const failure = this.current.kind === 'typescript7' ? (this.current as Ts7Engine).failure() : undefined;
    if (failure) throw new Error(`TypeScript 7: ${failure}`);
    this.engine.analysed(file, analysis.syntaxErrors.length > 0);
    return analysis;
  }

  private runRules(
    request: AnalysisRequest,
    opened: OpenedFile,
    ruleIds: readonly string[],
    typesFor: (ruleId: string) => Types,
  ): Analysis {
    const { timings } = request;
    const { sourceFile } = opened;
    const reports: RuleReport[] = [];
    const rules = new RuleDispatch<ts.SyntaxKind, ts.Node>({ timings, timeBudgetMs: request.timeBudgetMs });

    for (const id of ruleIds) {
      const rule = this.rules.get(id);
      if (!rule) continue;
      const context: TsRuleContext = {
        sourceFile,
        config: request.config,
        get types() {
          return typesFor(id);
        },
        report(at, message, fixes?: Fix[]) {
          const start = 'kind' in at ? (at as ts.Node).getStart(sourceFile) : at.start;
          const end = 'kind' in at ? (at as ts.Node).getEnd() : at.end;
          reports.push({ ruleId: id, start, end, message, fixes });
        },
      };
      rules.add(
        id,
        () => rule.create(context) as Visitor<ts.Node>,
        (kind) => Number(kind) as ts.SyntaxKind,
      );
    }

    const wantComments = request.text.includes(DIRECTIVE_MARK) || request.text.includes(ESLINT_DIRECTIVE_MARK);
    const commentStarts = new Set<number>();
    const comments: Comment[] = [];
    const addComments = (ranges: ts.CommentRange[] | undefined) => {
      if (!ranges) return;
      for (const r of ranges) {
        if (commentStarts.has(r.pos)) continue;
        commentStarts.add(r.pos);
        comments.push({ start: r.pos, end: r.end, text: request.text.slice(r.pos, r.end) });
      }
    };

    // JSX text is page content: a `//` in it is text, not a comment, though scanning for trivia
    // from a node next to it finds one. Comments starting inside JSX text are dropped below.
    const jsxTexts: ts.Node[] = [];
    if (!rules.isEmpty || wantComments) {
      const nodes = nodesInOrder(sourceFile, MAX_ANALYSED_DEPTH);
      if (!nodes) throw new AnalysisStopped(TOO_DEEP_FOR_CHECKER);
      withEnclosingFunctionMemo(() => {
        for (const node of nodes) {
          if (wantComments) {
            if (node.kind === ts.SyntaxKind.JsxText) {
              jsxTexts.push(node);
            } else {
              addComments(ts.getLeadingCommentRanges(request.text, node.pos));
              addComments(ts.getTrailingCommentRanges(request.text, node.end));
              // A comment on its own line before a closing `}` / `)` / `]` belongs to no node's
              // leading trivia: it follows the last child (`// directive` above `} else save();`).
              let last: ts.Node | undefined;
              ts.forEachChild(node, (c) => {
                last = c;
              });
              if (last) addComments(ts.getLeadingCommentRanges(request.text, last.end));
              // `{/* ... */}` in JSX children: the comment is the container's only content, with no
              // node of its own to scan from.
              if (node.kind === ts.SyntaxKind.JsxExpression && !(node as ts.JsxExpression).expression) {
                const inside = node.getStart(sourceFile) + 1;
                addComments(ts.getTrailingCommentRanges(request.text, inside));
                addComments(ts.getLeadingCommentRanges(request.text, inside));
              }
            }
          }
          rules.visit(node.kind, () => node);
        }
      });
    }
    rules.finish();
    const realComments = jsxTexts.length === 0 ? comments : comments.filter((c) => !insideAny(jsxTexts, c.start));

    const syntaxErrors = parseErrors(sourceFile);
    return {
      reports,
      comments: realComments,
      syntaxErrors,
      ruleFailures: rules.failures,
      statementStart: (offset) => statementStart(sourceFile, offset),
    };
  }

  lineSafety(file: string, text: string): LineSafety {
    return tsLineSafety(file, text);
  }

  syntaxErrors(file: string, text: string): SyntaxProblem[] {
    let sf: ts.SourceFile;
    try {
      sf = parseCodeOnly(file, text);
    } catch (e) {
      recoverFromParserOverflow(e);
      throw e;
    }
    return parseErrors(sf);
  }
}

/** The analysis with only the reports and failures of some rules. */
function onlyRules(analysis: Analysis, keep: (ruleId: string) => boolean): Analysis {
  return {
    ...analysis,
    reports: analysis.reports.filter((r) => keep(r.ruleId)),
    ruleFailures: analysis.ruleFailures.filter((f) => keep(f.ruleId)),
  };
}

/** Whether `pos` is inside one of `nodes` (in source order, not overlapping). */
function insideAny(nodes: readonly ts.Node[], pos: number): boolean {
  let lo = 0;
  let hi = nodes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const n = nodes[mid];
    if (pos < n.pos) hi = mid - 1;
    else if (pos >= n.end) lo = mid + 1;
    else return true;
  }
  return false;
}

/** The file parsed on its own for syntactic questions: no program, no parent pointers, no JSDoc. */
export function parseCodeOnly(file: string, text: string): ts.SourceFile {
  return ts.createSourceFile(
    file,
    text,
    { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone },
    false,
    scriptKindFor(file),
  );
}

function parseErrors(sf: ts.SourceFile): SyntaxProblem[] {
  const diags = parseDiagnostics(sf);
  return diags.map((d) => ({
    start: d.start,
    end: d.start + d.length,
    message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  }));
}

/** The start of the innermost statement or class member holding `offset` (iterative descent). */
function statementStart(sourceFile: ts.SourceFile, offset: number): number | undefined {
  let found: number | undefined;
  let node: ts.Node = sourceFile;
  for (let depth = 0; depth < MAX_ANALYSED_DEPTH; depth++) {
    const child: ts.Node | undefined = ts.forEachChild(node, (c) =>
      c.getStart(sourceFile) <= offset && offset < c.end ? c : undefined,
    );
    if (!child) break;
    if (ts.isStatement(child) || ts.isClassElement(child)) found = child.getStart(sourceFile);
    node = child;
  }
  return found;
}
