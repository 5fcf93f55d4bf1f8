// A worker thread of the parse pool (parse-pool.ts): parses the run's Python files in the order
// the run analyses them, copies each tree into its arrays (wasm.ts) and sends those to the main
// thread as one transferred buffer. Bundled to dist/python-parse-worker.js.
//
// Which thread parses a file is decided by one compare-and-swap on its slot of the shared claims:
// a worker claims a file just before parsing it (a file the main thread is waiting for first), the
// main thread only one whose text it no longer has. A worker stays at most `maxAhead` characters of text ahead of what the main thread
// has taken. Nothing here throws to the main thread: a file this worker cannot parse (too deep for
// the parser, or a WebAssembly error) is sent back without a tree, and after a WebAssembly error
// the worker stops (the main thread parses what is left, and meets the same error itself).
import { workerData, type MessagePort } from 'node:worker_threads';
import { MAX_INDENT_LEVELS, tooDeep } from './indentation';
import { createPythonParser, loadPython } from './parser';
import { readArrays } from './wasm';
import {
  DELIVERED,
  OUTSTANDING,
  STATE_INTS,
  STOPPED,
  URGENT,
  WORKER_CLAIM,
  type ParsedMessage,
  type WorkerInput,
} from './parse-pool';

async function main(): Promise<void> {
  const { port, shared, texts, maxAhead } = workerData as WorkerInput;
  const state = new Int32Array(shared, 0, STATE_INTS);
  const claims = new Int32Array(shared, 4 * STATE_INTS);
  const send = (message: ParsedMessage, transfer: ArrayBuffer[] = []) => {
    port.postMessage(message, transfer);
    Atomics.add(state, OUTSTANDING, texts[message.id].length);
    Atomics.add(state, DELIVERED, 1);
    Atomics.notify(state, DELIVERED);
  };
  try {
    await loadPython();
    const parser = createPythonParser();
    let next = 0;
    /**
     * The file to parse next: the one the main thread waits for (URGENT), else the next in order
     * once there is room ahead of the analysis (the main thread lowers OUTSTANDING as it takes
     * trees, and wakes the workers when it posts an urgent file); -1 when every file is claimed.
     */
    const pick = (): number => {
      for (;;) {
        const urgent = Atomics.load(state, URGENT) - 1;
        if (urgent >= 0 && Atomics.compareExchange(claims, urgent, 0, WORKER_CLAIM) === 0) return urgent;
        while (next < texts.length && Atomics.load(claims, next) !== 0) next++;
        if (next >= texts.length) return -1;
        const ahead = Atomics.load(state, OUTSTANDING);
        if (ahead > maxAhead) Atomics.wait(state, OUTSTANDING, ahead, 100);
        else if (Atomics.compareExchange(claims, next, 0, WORKER_CLAIM) === 0) return next++;
      }
    };
    for (let id = pick(); id >= 0; id = pick()) {
      const text = texts[id];
      if (tooDeep(text, MAX_INDENT_LEVELS)) {
        send({ id });
        continue;
      }
      let sent = false;
      try {
        const tree = parser.parse(text);
        if (!tree) throw new Error('tree-sitter returned no tree');
        try {
          const { arrays, hasError } = readArrays(tree);
          const buffer = arrays.start.buffer as ArrayBuffer;
          send({ id, buffer, count: arrays.count, hasError }, [buffer]);
          sent = true;
        } finally {
          tree.delete();
        }
      } finally {
        // A WebAssembly error: this instance is done for; the main thread takes this file and
        // the rest.
        if (!sent) send({ id });
      }
    }
  } finally {
    Atomics.add(state, STOPPED, 1);
    // Wakes a main thread waiting for an answer this worker will not send.
    Atomics.add(state, DELIVERED, 1);
    Atomics.notify(state, DELIVERED);
    (port as MessagePort).close();
  }
}

main().catch(() => {
  // Reported by STOPPED; the main thread parses whatever this worker did not send.
});
