// Loads web-tree-sitter and the Python grammar. The wasm files and web-tree-sitter's own module sit
// beside the bundle in dist/ (esbuild.mjs copies them); from sources (tests) they are found in
// node_modules.
//
// The runtime can be loaded again. tree-sitter runs in a WebAssembly instance with at most 2 GB of
// memory; a pathological file (millions of unclosed brackets) can exhaust it, and the instance
// then aborts and is unusable for good. web-tree-sitter keeps its instance in a module-level
// variable, so a new instance needs a new copy of the module: it is required by path (not
// bundled) and evicted from the require cache to be loaded again. Everything made by an old
// instance (parsers, trees, nodes) must be forgotten; `generation` tells users when.
import fs from 'node:fs';
import path from 'node:path';
import type * as TreeSitter from 'web-tree-sitter';
import { enableFastPath, WasmInternals } from './wasm';

type Runtime = typeof TreeSitter;

export interface PythonRuntime {
  readonly runtime: Runtime;
  readonly language: TreeSitter.Language;
  /** Increases with every load: trees and parsers of another generation belong to a dead instance. */
  readonly generation: number;
}

function locate(file: string, fromNodeModules: () => string): string {
  const beside = path.join(__dirname, file);
  return fs.existsSync(beside) ? beside : fromNodeModules();
}

let runtimeFile: string | undefined;
let loading: Promise<PythonRuntime> | undefined;
let current: PythonRuntime | undefined;
let generation = 0;

/**
 * A fresh copy of web-tree-sitter's module (its own WebAssembly instance once initialised), and
 * the switch that turns off its finalizers.
 *
 * web-tree-sitter frees parsers and trees that were not deleted from FinalizationRegistry
 * callbacks, which call into the instance. After the instance crashed, such a call can throw
 * again ("memory access out of bounds"), and an exception in a finalizer ends the process. So the
 * copy is loaded with a FinalizationRegistry whose callbacks do nothing once the copy is dead,
 * and never throw.
 */
function requireFresh(): { runtime: Runtime; kill: () => void } {
  runtimeFile ??= locate('web-tree-sitter.cjs', () => require.resolve('web-tree-sitter'));
  // Forget the old copy everywhere Node keeps it (the cache and this module's children), or its
  // 2 GB instance stays reachable.
  const old = require.cache[runtimeFile];
  delete require.cache[runtimeFile];
  const at = old ? module.children.indexOf(old) : -1;
  if (at >= 0) module.children.splice(at, 1);
  let dead = false;
  const Original = globalThis.FinalizationRegistry;
  class GuardedRegistry<T> extends Original<T> {
    constructor(cleanup: (held: T) => void) {
      super((held) => {
        if (dead) return;
        try {
          cleanup(held);
        } catch {
          // Freeing failed: the memory is lost with the instance, the process goes on.
        }
      });
    }
  }
  globalThis.FinalizationRegistry = GuardedRegistry as typeof FinalizationRegistry;
  try {
    // A computed path: the bundler leaves this require to Node, so each call can load a new copy.
    return { runtime: require(runtimeFile) as Runtime, kill: () => (dead = true) };
  } finally {
    globalThis.FinalizationRegistry = Original;
  }
}

/** Turns off the finalizers of each loaded copy, by generation. */
const kills = new Map<number, () => void>();

/** The Python runtime, loaded on first call and again after discardPythonRuntime(). */
export function loadPython(): Promise<PythonRuntime> {
  loading ??= (async () => {
    const { runtime, kill } = requireFresh();
    const wasm = locate('web-tree-sitter.wasm', () => require.resolve('web-tree-sitter/web-tree-sitter.wasm'));
    // This object becomes the Emscripten module, whose cursor functions wasm.ts calls directly.
    const moduleOptions = {
      locateFile: () => wasm,
      // An abort is reported by the RuntimeError it throws; do not also print it to stderr
      // (the language server's stderr is a log the editor shows).
      printErr: () => {},
    };
    await runtime.Parser.init(moduleOptions);
    const internals = WasmInternals.install(moduleOptions);
    const language = await runtime.Language.load(
      await fs.promises.readFile(
        locate('tree-sitter-python.wasm', () =>
          path.join(path.dirname(require.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm'),
        ),
      ),
    );
    if (internals) {
      // A WebAssembly error here is the instance's, as anywhere: the next load starts afresh.
      const parser = new runtime.Parser();
      try {
        parser.setLanguage(language);
        enableFastPath(language, internals, parser);
      } finally {
        parser.delete();
      }
    }
    current = { runtime, language, generation: ++generation };
    kills.set(current.generation, kill);
    return current;
  })();
  return loading;
}

/** The loaded runtime, or undefined while none is (before loadPython() or after a discard). */
export function pythonRuntime(): PythonRuntime | undefined {
  return current;
}

/**
 * The instance of `generation` crashed: forget it, so that the next loadPython() makes a new one.
 * A discard of an older generation (already replaced) does nothing.
 */
export function discardPythonRuntime(crashed: number): void {
  kills.get(crashed)?.();
  kills.delete(crashed);
  if (current && current.generation !== crashed) return;
  current = undefined;
  loading = undefined;
}

/** A parser for Python; loadPython() must have resolved first. */
export function createPythonParser(): TreeSitter.Parser {
  if (!current) throw new Error('the Python grammar is not loaded (await loadPython())');
  const parser = new current.runtime.Parser();
  parser.setLanguage(current.language);
  return parser;
}
