// Calling rules' node handlers, shared by the language backends: each backend walks its tree once
// and hands every node to this table. Here live the guarantees a backend must not re-implement:
// a handler that throws fails its rule alone (once, with the error kept for the log); the time
// per rule is measured for --stats; a file's time budget is enforced; and the errors that must
// stop the file's analysis (AnalysisStopped, a crashed WebAssembly parser) are not mistaken for
// one rule's failure.
import { performance } from 'node:perf_hooks';
import type { RuleFailure, Skip } from './types';

/**
 * Thrown to stop the analysis of a file for a reason that is not a bug: the time budget ran out,
 * the parser ran out of memory. The engine turns it into a skipped result with this message.
 */
export class AnalysisStopped extends Error {
  constructor(readonly skip: Skip) {
    super(skip.message);
    this.name = 'AnalysisStopped';
  }
}

/** A WebAssembly trap or abort (tree-sitter's parser): its module's state can no longer be trusted. */
export function isWasmRuntimeError(e: unknown): boolean {
  return WASM_RUNTIME_ERROR !== undefined && e instanceof WASM_RUNTIME_ERROR;
}

// The compiler's libs here have no DOM types, where WebAssembly is declared; Node has it.
const WASM_RUNTIME_ERROR = (globalThis as { WebAssembly?: { RuntimeError: abstract new () => Error } }).WebAssembly
  ?.RuntimeError;

/** Errors a handler must not swallow: the file's analysis stops (see AnalysisStopped). */
export function stopsAnalysis(e: unknown): boolean {
  return e instanceof AnalysisStopped || isWasmRuntimeError(e);
}

export function timeBudgetSkip(budgetMs: number): Skip {
  return {
    reason: 'time-budget',
    message: `skipped: analysis stopped after its time budget of ${budgetMs} ms (asyncLint.timeBudget)`,
  };
}

/** Nodes visited between two looks at the clock (a handler call always looks). */
const NODES_PER_CLOCK_CHECK = 1024;

export type Visitor<N> = Readonly<Record<string, ((node: N) => void) | undefined>>;

interface Entry<N> {
  ruleId: string;
  fn: (node: N) => void;
}

export interface DispatchOptions {
  /** Per-phase milliseconds to add to (`rule:<id>` and `walk`), when --stats asks. */
  timings?: Record<string, number>;
  /** Milliseconds this file's rules may take, counted from the table's creation. */
  timeBudgetMs?: number;
}

/** The handlers of a file's enabled rules, by node kind `K`, over nodes `N`. */
export class RuleDispatch<K, N> {
  private readonly handlers = new Map<K, Entry<N>[]>();
  private readonly failed = new Set<string>();
  readonly failures: RuleFailure[] = [];
  private readonly ruleTime: Map<string, number> | undefined;
  private readonly deadline: number | undefined;
  private countdown = NODES_PER_CLOCK_CHECK;
  private readonly started = performance.now();

  constructor(private readonly options: DispatchOptions = {}) {
    this.ruleTime = options.timings ? new Map() : undefined;
    this.deadline = options.timeBudgetMs !== undefined ? this.started + options.timeBudgetMs : undefined;
  }

  /** Records a rule's failure once; the rule's handlers are not called again for this file. */
  fail(ruleId: string, e: unknown): void {
    if (stopsAnalysis(e)) throw e;
    if (this.failed.has(ruleId)) return;
    this.failed.add(ruleId);
    this.failures.push({ ruleId, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }

  /** Creates a rule's visitor (which may throw: a failure of that rule) and files its handlers. */
  add(ruleId: string, create: () => Visitor<N>, keyOf: (kind: string) => K): void {
    let visitor: Visitor<N>;
    try {
      visitor = create();
    } catch (e) {
      this.fail(ruleId, e);
      return;
    }
    for (const [kind, fn] of Object.entries(visitor)) {
      if (!fn) continue;
      const key = keyOf(kind);
      const list = this.handlers.get(key);
      if (list) list.push({ ruleId, fn });
      else this.handlers.set(key, [{ ruleId, fn }]);
    }
  }

  get isEmpty(): boolean {
    return this.handlers.size === 0;
  }

  handles(key: K): boolean {
    return this.handlers.has(key);
  }

  /**
   * One node of the walk: calls the handlers for `key`, making the node with `node()` only if
   * there are any. Throws AnalysisStopped when the time budget is spent.
   */
  visit(key: K, node: () => N): void {
    if (this.deadline !== undefined && --this.countdown <= 0) {
      this.countdown = NODES_PER_CLOCK_CHECK;
      this.checkClock();
    }
    const list = this.handlers.get(key);
    if (!list) return;
    const n = node();
    for (const h of list) {
      if (this.failed.has(h.ruleId)) continue;
      const h0 = this.ruleTime ? performance.now() : 0;
      try {
        h.fn(n);
      } catch (e) {
        this.fail(h.ruleId, e);
      }
      if (this.ruleTime) this.ruleTime.set(h.ruleId, (this.ruleTime.get(h.ruleId) ?? 0) + performance.now() - h0);
      if (this.deadline !== undefined) this.checkClock();
    }
  }

  /** Throws AnalysisStopped if the time budget is spent. */
  checkClock(): void {
    if (this.deadline !== undefined && performance.now() > this.deadline) {
      throw new AnalysisStopped(timeBudgetSkip(this.options.timeBudgetMs!));
    }
  }

  /** Adds the rules' and the walk's time to the timings (the walk is the table's lifetime minus the rules). */
  finish(): void {
    const timings = this.options.timings;
    if (!timings || !this.ruleTime) return;
    let inRules = 0;
    for (const [id, ms] of this.ruleTime) {
      timings[`rule:${id}`] = (timings[`rule:${id}`] ?? 0) + ms;
      inRules += ms;
    }
    timings.walk = (timings.walk ?? 0) + Math.max(0, performance.now() - this.started - inRules);
  }
}
