// The fuzz properties, checked on one input at a time against the real backends:
//   1. Linter.lint never throws, no rule fails, and nothing is skipped as an internal error
//      (TypeScript's own recursive parser running out of stack on very deep nesting is a limit:
//      the file is skipped as `too-deep` with a message, and counted apart; so are Python blocks
//      nested deeper than Python accepts (tree-sitter's scanner corrupts its memory on some); so is tree-sitter
//      running out of its 2 GB of WebAssembly memory, `out-of-memory`, on a text over the default
//      maxFileSize: the parser is reloaded and the next input must be analysed as usual);
//   2. every finding's range lies inside the text;
//   3. every fix offered, safe or suggestion, has valid, non-overlapping edits, applies with
//      applyFixes, and leaves the file with no more syntax errors than it had; Linter.fix (all
//      safe fixes, pass after pass) finishes and adds none either;
//   4. findings are deterministic: the same text gives the same findings after the document went
//      through another version (the server's incremental path) and, for Python, on a fresh parse;
//   5. each file finishes in bounded time (see hangBoundMs).
// Inputs are linted as documents of one folder outside the repository that sees this repository's
// node_modules (so `node:fs` and friends resolve and the type-aware rules have types to work on):
// the TypeScript backend keeps one ProjectHost, which the stream of inputs also stress-tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ConfigResolver, DEFAULT_MAX_FILE_SIZE, type ResolvedConfig } from '../../server/src/engine/config';
import { MAX_INDENT_LEVELS, nestsDeeperThan } from '../../server/src/python/indentation';
import { applyFixes } from '../../server/src/engine/fixes';
import type { Linter } from '../../server/src/engine/linter';
import type { Finding, Fix, LintResult } from '../../server/src/engine/types';
import { createLinter } from '../../server/src/languages';
import { ROOT } from './seeds';

export type ProblemKind =
  | 'throw'
  | 'internal-error'
  | 'rule-failure'
  | 'bad-range'
  | 'bad-fix'
  | 'fix-breaks-syntax'
  | 'fix-all-breaks'
  | 'nondeterministic'
  | 'hang';

export interface Problem {
  kind: ProblemKind;
  detail: string;
}

export interface Outcome {
  problems: Problem[];
  /** Milliseconds of the first analysis. */
  ms: number;
  findings: number;
  /** Fixes applied and re-parsed. */
  fixesChecked: number;
  skipped?: string;
  /** TypeScript's parser or checker ran out of stack on deep nesting (a limit, not a crash). */
  tooDeep: boolean;
}

/** A "hang": one analysis over 10 s, plus 5 s per MB of input (a 10 MB line gets 60 s). */
export function hangBoundMs(text: string): number {
  return 10_000 + (5_000 * text.length) / 1_000_000;
}

const STACK_OVERFLOW = 'Maximum call stack size exceeded';
/** Fixes re-parsed per input, at most. */
const MAX_FIXES_CHECKED = 40;

/**
 * A stack overflow whose innermost frame is TypeScript's own code: its parser, binder and checker
 * recurse on the syntax tree, so a few hundred levels of nesting exhaust the stack. We cannot make
 * them iterative; the file is skipped with a message. An overflow in our own code is a crash.
 */
export function isTypeScriptStackLimit(stack: string): boolean {
  if (!stack.includes(STACK_OVERFLOW)) return false;
  // The innermost frame may be one of our callbacks (a snapshot's getText): look at all of them.
  const frames = stack.split('\n').filter((l) => /^\s+at /.test(l));
  const inTypeScript = frames.filter((l) => /[\\/]typescript[\\/]lib[\\/]typescript\.js/.test(l));
  return frames.length > 0 && inTypeScript.length * 2 > frames.length;
}

export class FuzzHarness {
  readonly dir: string;
  private version = 0;
  private readonly configs = new Map<number, ResolvedConfig>();

  private constructor(
    readonly linter: Linter,
    /** Multiplies the hang bound: `npm test` runs beside other work and asserts no tight timing. */
    private readonly hangScale: number,
  ) {
    // Outside the repository (no tsconfig governs it), with a node_modules link so imports of
    // node's modules resolve to @types/node. Each extension gets a folder with a package.json, so
    // each is an inferred project of its own: one input's text cannot break the next input's
    // analysis through a shared program (see the report on shared programs in the README).
    this.dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'async-lint-fuzz-')));
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(this.dir, 'node_modules'), 'dir');
  }

  static async create(options: { hangScale?: number } = {}): Promise<FuzzHarness> {
    const linter = createLinter();
    await linter.ready();
    return new FuzzHarness(linter, options.hangScale ?? 1);
  }

  /** Awaited before each check: a parser that crashed on the last input is loaded again. */
  ready(): Promise<void> {
    return this.linter.ready();
  }

  /** Default configuration (every rule at its default severity) with a given maxFileSize. */
  config(maxFileSize?: number): ResolvedConfig {
    const key = maxFileSize ?? -1;
    let c = this.configs.get(key);
    if (!c) {
      c = new ConfigResolver({ readFile: () => undefined }, { defaults: maxFileSize ? { maxFileSize } : {} }).forDir(
        this.dir,
      );
      this.configs.set(key, c);
    }
    return c;
  }

  /** The document path inputs with this extension are linted under. */
  fileFor(ext: string): string {
    const folder = path.join(this.dir, ext.slice(1));
    if (!fs.existsSync(folder)) {
      fs.mkdirSync(folder);
      fs.writeFileSync(path.join(folder, 'package.json'), '{"name": "fuzz", "private": true}\n');
    }
    return path.join(folder, `input${ext}`);
  }

  dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Checks every property on one input. Never throws: everything wrong is a Problem. */
  check(ext: string, text: string, options: { maxFileSize?: number } = {}): Outcome {
    const file = this.fileFor(ext);
    const config = this.config(options.maxFileSize);
    const problems: Problem[] = [];
    const outcome: Outcome = { problems, ms: 0, findings: 0, fixesChecked: 0, tooDeep: false };

    // 1. Analysis, as the server does it (a new version of an open document).
    let first: LintResult;
    const t0 = performance.now();
    try {
      first = this.linter.lint(file, text, config, { version: ++this.version });
    } catch (e) {
      outcome.ms = performance.now() - t0;
      problems.push({ kind: 'throw', detail: stackOf(e) });
      return outcome;
    }
    outcome.ms = performance.now() - t0;
    const bound = hangBoundMs(text) * this.hangScale;
    if (outcome.ms > bound) {
      problems.push({
        kind: 'hang',
        detail: `analysis took ${Math.round(outcome.ms)} ms (bound ${Math.round(bound)} ms) for ${text.length} characters`,
      });
    }
    outcome.findings = first.findings.length;
    if (first.skipped) {
      outcome.skipped = first.skipped.reason;
      if (first.skipped.reason === 'internal-error')
        problems.push({ kind: 'internal-error', detail: first.skipped.message });
      if (first.skipped.reason === 'out-of-memory' && Buffer.byteLength(text) <= DEFAULT_MAX_FILE_SIZE) {
        problems.push({
          kind: 'internal-error',
          detail: `parser out of memory on ${text.length} characters, within the default maxFileSize`,
        });
      }
      if (first.skipped.reason === 'too-deep') {
        outcome.tooDeep = true;
        // tree-sitter's parser keeps its own stack: besides TypeScript's recursive parser, only
        // Python blocks nested deeper than Python itself accepts are a limit.
        if (first.language === 'python' ? !nestsDeeperThan(text, MAX_INDENT_LEVELS) : first.language !== 'typescript') {
          problems.push({ kind: 'internal-error', detail: `${first.language}: ${first.skipped.message}` });
        }
      }
      return outcome;
    }
    for (const f of first.ruleFailures) {
      if (isTypeScriptStackLimit(f.error)) outcome.tooDeep = true;
      problems.push({ kind: 'rule-failure', detail: `${f.ruleId}: ${f.error}` });
    }
    const noteDepthLimit = (r: LintResult) => {
      if (r.skipped?.reason === 'too-deep' || r.ruleFailures.some((f) => isTypeScriptStackLimit(f.error)))
        outcome.tooDeep = true;
    };

    // 2. Ranges.
    for (const f of first.findings) {
      if (!(f.start >= 0 && f.start <= f.end && f.end <= text.length) || !f.message) {
        problems.push({
          kind: 'bad-range',
          detail: `${f.ruleId} [${f.start}, ${f.end}) in a text of ${text.length}: ${f.message}`,
        });
      }
    }

    // 3. Fixes, one at a time, then all safe ones as --fix applies them.
    const backend = this.linter.backendFor(file)!;
    let before: number | undefined;
    try {
      before = backend.syntaxErrors(file, text).length;
    } catch (e) {
      // The backend's own parse of a text its analysis just parsed: only a depth limit may stop it.
      if (isTypeScriptStackLimit(stackOf(e))) outcome.tooDeep = true;
      else problems.push({ kind: 'throw', detail: `syntaxErrors: ${stackOf(e)}` });
    }
    if (before !== undefined) {
      // Each fix costs a parse of the whole text: on inputs with thousands of findings (a long
      // line of calls), an even sample of them.
      const all = first.findings.flatMap((f) => f.fixes.map((fix) => [f, fix] as const));
      const step = Math.max(1, Math.ceil(all.length / MAX_FIXES_CHECKED));
      for (let i = 0; i < all.length; i += step) {
        const problem = this.checkFix(file, text, all[i][0], all[i][1], before);
        outcome.fixesChecked++;
        if (problem) problems.push(problem);
      }
      // Every fix applied in passes, as --fix --unsafe-fixes does (safe ones alone are rare).
      if (first.findings.some((f) => f.fixes.length > 0)) {
        try {
          const fixed = this.linter.fix(file, text, config, { unsafe: true });
          const after = backend.syntaxErrors(file, fixed.text).length;
          if (after > before) {
            problems.push({
              kind: 'fix-all-breaks',
              detail: `Linter.fix: ${before} -> ${after} syntax errors\n--- fixed text ---\n${fixed.text}`,
            });
          }
        } catch (e) {
          problems.push({ kind: 'throw', detail: `Linter.fix: ${stackOf(e)}` });
        }
      }
    }

    // 4. Determinism: a detour through another version of the document, then the same text again.
    try {
      const cut = text.length >> 1;
      this.linter.lint(file, text.slice(0, cut) + text.slice(cut + 1) + '\n', config, { version: ++this.version });
      const again = this.linter.lint(file, text, config, { version: ++this.version });
      noteDepthLimit(again);
      const want = signature(first);
      const got = signature(again);
      if (got !== want)
        problems.push({ kind: 'nondeterministic', detail: `after another version:\n${diffLines(want, got)}` });
      if (first.language === 'python') {
        const fresh = signature(this.linter.lint(file, text, config));
        if (fresh !== want)
          problems.push({ kind: 'nondeterministic', detail: `fresh parse vs incremental:\n${diffLines(want, fresh)}` });
      }
    } catch (e) {
      problems.push({ kind: 'throw', detail: `re-analysis: ${stackOf(e)}` });
    }
    if (outcome.tooDeep) {
      // TypeScript's checker ran out of stack on a node (that rule's failure is logged, the others
      // report), or its parser sometimes did and sometimes did not: V8's stack holds more frames
      // once the parser's code is optimised. A limit of TypeScript's, counted apart.
      outcome.problems = problems.filter(
        (p) => !(p.kind === 'nondeterministic' || (p.kind === 'rule-failure' && isTypeScriptStackLimit(p.detail))),
      );
    }
    return outcome;
  }

  private checkFix(file: string, text: string, finding: Finding, fix: Fix, before: number): Problem | undefined {
    const where = `${finding.ruleId} at ${finding.range.start.line + 1}:${finding.range.start.character + 1}, fix '${fix.title}'`;
    const edits = [...fix.edits].sort((a, b) => a.start - b.start || a.end - b.end);
    if (edits.length === 0) return { kind: 'bad-fix', detail: `${where}: no edits` };
    for (let i = 0; i < edits.length; i++) {
      const e = edits[i];
      if (
        !(
          Number.isInteger(e.start) &&
          Number.isInteger(e.end) &&
          e.start >= 0 &&
          e.start <= e.end &&
          e.end <= text.length
        )
      ) {
        return { kind: 'bad-fix', detail: `${where}: edit [${e.start}, ${e.end}) outside a text of ${text.length}` };
      }
      const next = edits[i + 1];
      if (next && (next.start < e.end || (next.start === e.start && e.start === e.end && next.start === next.end))) {
        return { kind: 'bad-fix', detail: `${where}: edits overlap: ${JSON.stringify(e)} and ${JSON.stringify(next)}` };
      }
    }
    const out = applyFixes(text, [fix]);
    if (out.applied.length !== 1) return { kind: 'bad-fix', detail: `${where}: applyFixes did not apply it` };
    let after: number;
    try {
      after = this.linter.backendFor(file)!.syntaxErrors(file, out.text).length;
    } catch (e) {
      return { kind: 'fix-breaks-syntax', detail: `${where}: re-parsing the fixed text threw: ${stackOf(e)}` };
    }
    if (after > before) {
      return {
        kind: 'fix-breaks-syntax',
        detail: `${where}: ${before} -> ${after} syntax errors\n${editSummary(text, fix)}`,
      };
    }
    return undefined;
  }
}

/** What determinism compares: every finding with its fixes, the skip, and the syntax errors. */
export function signature(r: LintResult): string {
  return JSON.stringify(
    {
      skipped: r.skipped?.reason,
      syntaxErrors: r.syntaxErrors.length,
      ruleFailures: r.ruleFailures.map((f) => f.ruleId),
      findings: r.findings.map((f) => ({
        rule: f.ruleId,
        at: [f.start, f.end],
        sev: f.severity,
        msg: f.message,
        fixes: f.fixes,
      })),
    },
    null,
    1,
  );
}

function diffLines(a: string, b: string): string {
  const x = a.split('\n');
  const y = b.split('\n');
  const out: string[] = [];
  for (let i = 0; i < Math.max(x.length, y.length) && out.length < 20; i++) {
    if (x[i] !== y[i]) out.push(`- ${x[i] ?? ''}\n+ ${y[i] ?? ''}`);
  }
  return out.join('\n');
}

function editSummary(text: string, fix: Fix): string {
  return fix.edits
    .map(
      (e) =>
        `  [${e.start}, ${e.end}) ${JSON.stringify(text.slice(e.start, e.end)).slice(0, 200)} -> ${JSON.stringify(e.newText).slice(0, 200)}`,
    )
    .join('\n');
}

export function stackOf(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}
