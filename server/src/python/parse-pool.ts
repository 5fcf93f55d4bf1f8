// The parse pool of a CLI run: worker threads (parse-worker.ts) parse the run's Python files ahead
// of the analysis, in the order the run analyses them, while the main thread runs the rules. A
// tree crosses over as the one buffer of its arrays (syntax.ts treeArrays), transferred, not
// copied. The analysis stays synchronous: take() returns the tree a worker made for a file, or
// waits for it (a file needed before its turn, an import, is made the next one a worker parses).
// The same parser, the same wasm and the same copy make the same tree in any thread; a file the
// workers cannot parse is left to the caller, as without a pool.
//
// Used only where the workers can pay for themselves: the bundled worker script is there (a run
// from sources has none), more than one CPU, and enough text.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { SyntaxTree, treeArrays, type Grammar } from './syntax';

/** What a worker is given. */
export interface WorkerInput {
  port: MessagePort;
  /** STATE_INTS int32 counters, then one claim per file. */
  shared: SharedArrayBuffer;
  texts: readonly string[];
  /** Characters of text parsed and not yet taken past which a worker waits. */
  maxAhead: number;
}

/** A worker's answer for one file: its tree's arrays, or none (the main thread parses it). */
export interface ParsedMessage {
  id: number;
  buffer?: ArrayBuffer;
  count?: number;
  hasError?: boolean;
}

// The shared counters.
/** Results sent by the workers (waited on). */
export const DELIVERED = 0;
/** Workers that have finished or stopped. */
export const STOPPED = 1;
/** Characters of text sent and not yet taken by the main thread. */
export const OUTSTANDING = 2;
/** 1 + the number of the file the main thread waits for and no worker has started (0: none). */
export const URGENT = 3;
export const STATE_INTS = 4;
// A file's claim.
export const WORKER_CLAIM = 1;
const MAIN_CLAIM = 2;

/** How far (characters of text parsed and not yet taken) the workers may run ahead. */
const MAX_AHEAD = 4 * 1024 * 1024;
/** Below this much text a run is parsed on the main thread alone: starting a worker costs more. */
const MIN_POOL_TEXT = 256 * 1024;
const MAX_WORKERS = 4;
/** Waiting this long for a worker without any answer from any, the main thread parses the file itself. */
const STALLED_MS = 60_000;

/** The worker script, beside the bundle (esbuild.mjs). */
export const WORKER_SCRIPT = 'python-parse-worker.js';

export interface PoolOptions {
  /** The worker script (default: WORKER_SCRIPT beside this bundle). */
  script?: string;
  /** Worker threads (default: workersWanted()). */
  workers?: number;
  /** Least text worth a pool (default MIN_POOL_TEXT). */
  minText?: number;
  /** See WorkerInput.maxAhead (default MAX_AHEAD). */
  maxAhead?: number;
}

interface Slot {
  /** The text given to the workers (until settled). */
  text: string;
  length: number;
  /** The worker's answer, once received and until taken. */
  result?: ParsedMessage;
  /** Taken or given up: the main thread is done with it. */
  settled?: boolean;
}

export class ParsePool {
  private readonly slots: Slot[];
  private readonly byFile = new Map<string, number>();
  private readonly state: Int32Array;
  private readonly claims: Int32Array;
  /** The main thread's end of each worker's channel. */
  private readonly ports: MessagePort[] = [];
  private readonly workers: Worker[] = [];
  readonly workerCount: number;
  /** Trees taken (or given up) so far; the pool closes when every file is. */
  private settled = 0;
  /** Files whose tree came from a worker, and files left to the caller (tests, statistics). */
  readonly counts = { fromWorkers: 0, toCaller: 0 };

  private constructor(
    files: readonly { path: string; text: string }[],
    workerCount: number,
    script: string,
    maxAhead: number,
    /** The grammar of the trees handed out (the main thread's runtime, loaded by the first take()). */
    private readonly grammar: () => Grammar,
  ) {
    this.slots = files.map((f) => ({ text: f.text, length: f.text.length }));
    for (const [i, f] of files.entries()) this.byFile.set(f.path, i);
    const shared = new SharedArrayBuffer(4 * (STATE_INTS + files.length));
    this.state = new Int32Array(shared, 0, STATE_INTS);
    this.claims = new Int32Array(shared, 4 * STATE_INTS);
    this.workerCount = workerCount;
    const texts = files.map((f) => f.text);
    for (let i = 0; i < workerCount; i++) {
      const { port1, port2 } = new MessageChannel();
      this.ports.push(port1);
      const input: WorkerInput = { port: port2, shared, texts, maxAhead };
      const worker = new Worker(script, { workerData: input, transferList: [port2] });
      // The run never waits for a worker to end: an unfinished one does not keep the process up.
      worker.unref();
      this.workers.push(worker);
    }
  }

  /**
   * A pool for the files of a run (in the order they will be analysed), or undefined when one
   * would not pay: no worker script beside this bundle, one CPU, or little text.
   */
  static start(
    files: readonly { path: string; text: string }[],
    grammar: () => Grammar,
    options: PoolOptions = {},
  ): ParsePool | undefined {
    const script = options.script ?? path.join(__dirname, WORKER_SCRIPT);
    const wanted = options.workers ?? workersWanted();
    let total = 0;
    for (const f of files) total += f.text.length;
    if (wanted === 0 || total < (options.minText ?? MIN_POOL_TEXT) || !fs.existsSync(script)) return undefined;
    return new ParsePool(files, wanted, script, options.maxAhead ?? MAX_AHEAD, grammar);
  }

  /**
   * The tree of `file` if the pool was given exactly `text` for it: a worker's, waited for (a file
   * no worker has started yet is the next one a worker parses). Undefined when the caller must
   * parse it: a worker gave up on it (too deep, a WebAssembly error), the workers stopped, or the
   * text is not the one the pool was given (the file is then claimed so that no worker starts it).
   */
  take(file: string, text: string): SyntaxTree | undefined {
    const id = this.byFile.get(file);
    if (id === undefined) return undefined;
    const slot = this.slots[id];
    if (slot.settled) return undefined;
    if (slot.text !== text) {
      this.claim(id);
      return this.settle(id, undefined);
    }
    if (!slot.result) {
      if (Atomics.load(this.claims, id) === 0) {
        // Needed before the workers got to it (an import): the next file a worker parses. The
        // main thread waits meanwhile; the workers keep the cores busy.
        Atomics.store(this.state, URGENT, id + 1);
        Atomics.notify(this.state, OUTSTANDING);
      }
      this.waitFor(slot);
    }
    const r = slot.result!;
    const tree = r.buffer
      ? new SyntaxTree(text, treeArrays(r.count!, r.buffer), this.grammar(), r.hasError!)
      : undefined;
    return this.settle(id, tree);
  }

  /** Stops the workers (they may be waiting for room ahead). */
  close(): void {
    for (const w of this.workers) void w.terminate();
    this.workers.length = 0;
    for (const p of this.ports) p.close();
  }

  /** Claims a file for the main thread, unless a worker already has it. */
  private claim(id: number): void {
    Atomics.compareExchange(this.claims, id, 0, MAIN_CLAIM);
  }

  /** Answers the workers have sent so far (tests). */
  delivered(): number {
    return Atomics.load(this.state, DELIVERED);
  }

  private settle(id: number, tree: SyntaxTree | undefined): SyntaxTree | undefined {
    const slot = this.slots[id];
    if (tree) this.counts.fromWorkers++;
    else this.counts.toCaller++;
    if (slot.settled) return tree;
    if (slot.result) this.makeRoom(slot);
    // Nothing of the slot is needed again (a second take() for the file parses on the caller).
    slot.settled = true;
    slot.text = '';
    if (++this.settled === this.slots.length) this.close();
    return tree;
  }

  /** The workers may go on: a result they sent is taken (or no longer wanted). */
  private makeRoom(slot: Slot): void {
    Atomics.sub(this.state, OUTSTANDING, slot.length);
    Atomics.notify(this.state, OUTSTANDING);
    slot.result = undefined;
  }

  /**
   * Receives the workers' answers until `slot` has one (a worker has claimed its file). A worker
   * that ends sends its answers first; one that was killed (out of heap) sends nothing, so after
   * STALLED_MS without any answer the caller parses the file itself.
   */
  private waitFor(slot: Slot): void {
    let last = Atomics.load(this.state, DELIVERED);
    let since = Date.now();
    for (;;) {
      const delivered = Atomics.load(this.state, DELIVERED);
      this.receive();
      if (slot.result) return;
      if (delivered !== last) {
        last = delivered;
        since = Date.now();
      }
      if (Atomics.load(this.state, STOPPED) === this.workerCount || Date.now() - since > STALLED_MS) {
        this.receive();
        if (!slot.result) slot.result = { id: -1 };
        return;
      }
      Atomics.wait(this.state, DELIVERED, delivered, 1000);
    }
  }

  private receive(): void {
    for (const port of this.ports) {
      for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
        const message = m.message as ParsedMessage;
        const slot = this.slots[message.id];
        slot.result = message;
        // A file given up while a worker parsed it (its text changed).
        if (slot.settled) this.makeRoom(slot);
      }
    }
  }
}

/**
 * Worker threads for a run: ASYNC_LINT_PARSE_THREADS if set (0: none), else one per CPU, up to
 * MAX_WORKERS, and none on one CPU.
 */
export function workersWanted(env: NodeJS.ProcessEnv = process.env): number {
  const set = env.ASYNC_LINT_PARSE_THREADS;
  if (set !== undefined && /^\d+$/.test(set.trim())) return Math.min(Number(set), MAX_WORKERS * 4);
  const cpus = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return cpus < 2 ? 0 : Math.min(cpus, MAX_WORKERS);
}
