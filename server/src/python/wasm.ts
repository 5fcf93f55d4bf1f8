// Copies a tree out of tree-sitter's WebAssembly memory into a SyntaxTree (syntax.ts), by one
// depth-first walk per tree. web-tree-sitter's TreeCursor would cost most of the time here: each
// of its calls copies the cursor into a transfer buffer in wasm memory and back with Emscripten's
// `setValue` / `getValue`. The fast walk calls the module's cursor functions directly and leaves
// the cursor in the transfer buffer from the first move to the last (nothing else runs in the
// module meanwhile).
//
// It relies on web-tree-sitter internals: the object given to Parser.init() becomes the Emscripten
// module, with its exports and heap view (web-tree-sitter 0.27). They are checked when the runtime
// loads, and the fast walk must copy a sample tree exactly as the walk through TreeCursor does; if
// anything is missing or different, or the machine is big-endian, every tree is copied through
// TreeCursor (same tree, slower). test/python-syntax.test.ts compares the two, and the result with
// web-tree-sitter's own nodes.
import os from 'node:os';
import type { Language, Parser, Tree, TreeCursor } from 'web-tree-sitter';
import { SyntaxTree, treeArrays, type Grammar, type TreeArrays } from './syntax';

type Fn0 = (tree: number) => number;

/** The part of the Emscripten module the fast paths use. */
interface WasmModule {
  HEAP32: Int32Array;
  _ts_init(): number;
  _ts_tree_cursor_goto_first_child_wasm: Fn0;
  _ts_tree_cursor_goto_next_sibling_wasm: Fn0;
  _ts_tree_cursor_goto_parent_wasm: Fn0;
  _ts_tree_cursor_current_node_type_id_wasm: Fn0;
  _ts_tree_cursor_current_node_is_missing_wasm: Fn0;
  _ts_tree_cursor_current_field_id_wasm: Fn0;
  _ts_tree_cursor_start_index_wasm: Fn0;
  _ts_tree_cursor_end_index_wasm: Fn0;
}

const CURSOR_FUNCTIONS = [
  '_ts_tree_cursor_goto_first_child_wasm',
  '_ts_tree_cursor_goto_next_sibling_wasm',
  '_ts_tree_cursor_goto_parent_wasm',
  '_ts_tree_cursor_current_node_type_id_wasm',
  '_ts_tree_cursor_current_node_is_missing_wasm',
  '_ts_tree_cursor_current_field_id_wasm',
  '_ts_tree_cursor_start_index_wasm',
  '_ts_tree_cursor_end_index_wasm',
] as const;

/** Direct access to one loaded module (one runtime generation). */
export class WasmInternals {
  /** The heap as 32-bit words; replaced when the memory grows (the old view is then empty). */
  private heap: Int32Array;
  /** Word index of web-tree-sitter's transfer buffer. */
  readonly transfer: number;

  private constructor(readonly module: WasmModule) {
    this.heap = module.HEAP32;
    this.transfer = module._ts_init() >>> 2;
  }

  /**
   * The internals of the module web-tree-sitter made from `moduleOptions` (the object given to
   * Parser.init()); undefined if they are not as expected.
   */
  static install(moduleOptions: object): WasmInternals | undefined {
    const m = moduleOptions as Partial<WasmModule>;
    if (os.endianness() !== 'LE' || !(m.HEAP32 instanceof Int32Array) || typeof m._ts_init !== 'function')
      return undefined;
    for (const f of CURSOR_FUNCTIONS) if (typeof m[f] !== 'function') return undefined;
    return new WasmInternals(m as WasmModule);
  }

  /** The current heap view (growing the memory detaches the old one, which then has length 0). */
  words(): Int32Array {
    if (this.heap.length === 0) this.heap = this.module.HEAP32;
    return this.heap;
  }
}

/** The internals of each loaded runtime, by its Python language object (trees know theirs). */
const byLanguage = new WeakMap<Language, WasmInternals>();

/** A text with fields, errors, a MISSING node, comments and non-ASCII characters. */
const SELF_TEST =
  'import a.b as c  # \u00e9\n@d\nasync def f(x, *y, z=1) -> "\u{1F600}":\n    return [await g(x) for g in y if (h := x)]\nclass C(D): pass\ndef k(:\n  (1,\n';

/**
 * Uses the fast walk for trees of `language` if, on a sample text parsed with `parser`, it copies
 * exactly what the walk through TreeCursor copies; false (and the slow walk kept) otherwise.
 */
export function enableFastPath(language: Language, internals: WasmInternals, parser: Parser): boolean {
  const tree = parser.parse(SELF_TEST);
  if (!tree) return false;
  try {
    byLanguage.set(language, internals);
    const fast = readTree(tree, SELF_TEST).arrays;
    const slow = readTree(tree, SELF_TEST, false).arrays;
    const same = (Object.keys(slow) as (keyof TreeArrays)[]).every((k) => {
      const a = fast[k];
      const b = slow[k];
      return typeof a === 'number'
        ? a === b
        : a.length === (b as typeof a).length && a.every((v, i) => v === (b as typeof a)[i]);
    });
    if (!same) byLanguage.delete(language);
    return same;
  } catch {
    byLanguage.delete(language);
    return false;
  } finally {
    tree.delete();
  }
}

/** Whether the runtime that loaded `language` uses the fast paths (tests). */
export function hasFastPaths(language: Language): boolean {
  return byLanguage.has(language);
}

/** The size of that runtime's wasm memory in bytes, if known (tests). */
export function wasmMemoryBytes(language: Language): number | undefined {
  return byLanguage.get(language)?.words().byteLength;
}

/** tree-sitter's symbol for ERROR nodes. */
const ERROR_SYMBOL = 65535;

const grammars = new WeakMap<Language, Grammar>();

export function grammarOf(language: Language): Grammar {
  let g = grammars.get(language);
  if (!g) {
    const named = new Uint8Array(ERROR_SYMBOL + 1);
    for (let i = 0; i < language.types.length; i++) named[i] = language.nodeTypeIsNamed(i) ? 1 : 0;
    named[ERROR_SYMBOL] = 1;
    const fieldIds = new Map<string, number>();
    language.fields.forEach((name, id) => {
      if (name) fieldIds.set(name, id);
    });
    g = { types: language.types, named, fieldIds, fields: language.fields };
    grammars.set(language, g);
  }
  return g;
}

/** Words of a web-tree-sitter TreeCursor object. */
type CursorWords = TreeCursor & Record<0 | 1 | 2 | 3, number>;

/**
 * Copies `tree` (parsed from `text`) into a SyntaxTree: one depth-first walk over its visible
 * nodes. The caller may delete `tree` afterwards.
 */
export function readTree(tree: Tree, text: string, fast = true): SyntaxTree {
  const { arrays, hasError } = readArrays(tree, fast);
  return new SyntaxTree(text, arrays, grammarOf(tree.language), hasError);
}

/** The arrays of readTree() alone (a worker thread sends them to the thread that analyses). */
export function readArrays(tree: Tree, fast = true): { arrays: TreeArrays; hasError: boolean } {
  const root = tree.rootNode;
  const hasError = root.hasError;
  const count = root.descendantCount;
  const arrays = treeArrays(count);
  const internals = fast ? byLanguage.get(tree.language) : undefined;
  const cursor = root.walk() as CursorWords;
  let n: number;
  try {
    n = internals ? readFast(internals, tree, cursor, arrays, hasError) : readSlow(cursor, arrays, hasError);
  } finally {
    cursor.delete();
  }
  if (n !== count) throw new Error(`tree-sitter reported ${count} nodes, the walk found ${n}`);
  return { arrays, hasError };
}

/**
 * The walk through the module's exports. Nothing else runs in the module meanwhile, so the cursor
 * stays in the transfer buffer from the first move to the last (and is handed back to the
 * TreeCursor object for its deletion).
 */
function readFast(internals: WasmInternals, tree: Tree, cursor: CursorWords, a: TreeArrays, hasError: boolean): number {
  const m = internals.module;
  const t = internals.transfer;
  const address = (tree as unknown as Record<0, number>)[0];
  const firstChild = m._ts_tree_cursor_goto_first_child_wasm;
  const nextSibling = m._ts_tree_cursor_goto_next_sibling_wasm;
  const parent = m._ts_tree_cursor_goto_parent_wasm;
  const typeId = m._ts_tree_cursor_current_node_type_id_wasm;
  const startIndex = m._ts_tree_cursor_start_index_wasm;
  const endIndex = m._ts_tree_cursor_end_index_wasm;
  const fieldId = m._ts_tree_cursor_current_field_id_wasm;
  const isMissing = m._ts_tree_cursor_current_node_is_missing_wasm;
  let h = internals.words();
  h[t] = cursor[0];
  h[t + 1] = cursor[1];
  h[t + 2] = cursor[2];
  h[t + 3] = cursor[3];
  const { symbol, start, end, field, parent: parents, after, missing } = a;
  const open: number[] = [];
  let n = 0;
  for (;;) {
    if (n >= a.count) throw new Error(`tree-sitter reported ${a.count} nodes, the walk found more`);
    const i = n++;
    symbol[i] = typeId(address);
    start[i] = startIndex(address);
    end[i] = endIndex(address);
    field[i] = fieldId(address);
    parents[i] = open.length > 0 ? open[open.length - 1] : -1;
    if (hasError) missing[i] = isMissing(address);
    if (firstChild(address) === 1) {
      open.push(i);
      continue;
    }
    after[i] = n;
    while (nextSibling(address) !== 1) {
      if (open.length === 0 || parent(address) !== 1) {
        // The memory may have grown (a cursor move can allocate): a fresh view.
        h = internals.words();
        cursor[0] = h[t];
        cursor[1] = h[t + 1];
        cursor[2] = h[t + 2];
        cursor[3] = h[t + 3];
        return n;
      }
      after[open.pop()!] = n;
    }
  }
}

/** The same walk through web-tree-sitter's TreeCursor. */
function readSlow(cursor: TreeCursor, a: TreeArrays, hasError: boolean): number {
  const { symbol, start, end, field, parent: parents, after, missing } = a;
  const open: number[] = [];
  let n = 0;
  for (;;) {
    if (n >= a.count) throw new Error(`tree-sitter reported ${a.count} nodes, the walk found more`);
    const i = n++;
    symbol[i] = cursor.nodeTypeId;
    start[i] = cursor.startIndex;
    end[i] = cursor.endIndex;
    field[i] = cursor.currentFieldId;
    parents[i] = open.length > 0 ? open[open.length - 1] : -1;
    if (hasError) missing[i] = cursor.nodeIsMissing ? 1 : 0;
    if (cursor.gotoFirstChild()) {
      open.push(i);
      continue;
    }
    after[i] = n;
    while (!cursor.gotoNextSibling()) {
      if (open.length === 0 || !cursor.gotoParent()) return n;
      after[open.pop()!] = n;
    }
  }
}
