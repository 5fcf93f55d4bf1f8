// Text helpers for building fixes in Python files: where `await` may go and whether it needs
// parentheses, whether a statement has its line to itself, the layout of a suggested statement
// (indentation, line breaks, black's line length), and how to spell a library function or an
// `asyncio` member at a place, with the import it needs.
import type { SyntaxNode as Node } from './syntax';
import type { TextEdit } from '../engine/types';
import type { NameResolver } from './names';
import type { Scope } from './scope';
import { withParentheses } from './utils';

/**
 * Whether `node` is the receiver of an attribute, the callee of a call or the value of a
 * subscript: there `await x` must be written `(await x)`, since `await a.b()` awaits `a.b()`.
 */
export function isPrimaryOperand(node: Node): boolean {
  const parent = node.parent;
  if (!parent) return false;
  const field =
    parent.type === 'attribute'
      ? 'object'
      : parent.type === 'call'
        ? 'function'
        : parent.type === 'subscript'
          ? 'value'
          : undefined;
  return field !== undefined && parent.childForFieldName(field)?.id === node.id;
}

/**
 * Python's primaries: atoms (names, literals, displays, comprehensions, parenthesized
 * expressions), attributes, calls and subscripts. One can follow `await` or end the iterable of a
 * `for ... in` clause as it is; anything else (`a if b else c`, `f := g()`) needs parentheses.
 */
const PRIMARY_TYPES: ReadonlySet<string> = new Set([
  'identifier',
  'attribute',
  'call',
  'subscript',
  'list',
  'tuple',
  'set',
  'dictionary',
  'parenthesized_expression',
  'list_comprehension',
  'set_comprehension',
  'dictionary_comprehension',
  'generator_expression',
  'string',
  'concatenated_string',
]);

/** `expr`'s text, parenthesized unless it is a primary (see PRIMARY_TYPES). */
export function asPrimary(expr: Node): string {
  return PRIMARY_TYPES.has(expr.type) ? expr.text : `(${expr.text})`;
}

/** `await <expression>` to put where `node` is, parenthesised when the place needs it; just the expression where `node` is awaited already. */
export function awaitAt(node: Node, expression: string): string {
  // `await time.sleep(1)` (broken: it awaits None): the replacement is awaited already.
  if (withParentheses(node).parent?.type === 'await') return expression;
  return isPrimaryOperand(node) ? `(await ${expression})` : `await ${expression}`;
}

/**
 * Whether an `await` may be added at `node`: inside an `async def` (innermost function), or at a
 * notebook's top level (NameResolver.atAwaitableTopLevel), and not inside a generator expression,
 * where `await` would turn it into an async generator.
 */
export function canAwaitAt(names: NameResolver, node: Node): boolean {
  const fn = names.enclosingFunction(node);
  if (!fn?.isAsync && !names.atAwaitableTopLevel(node)) return false;
  for (let s: Scope | undefined = names.scopes.scopeAt(node.startIndex, node.endIndex); s && s !== fn; s = s.parent) {
    if (s.kind === 'comprehension' && s.node.type === 'generator_expression') return false;
  }
  return true;
}

/** The text inside a call's parentheses (`a, b=1` of `f(a, b=1)`), comments and line breaks kept. */
export function argumentsText(call: Node, text: string): string | undefined {
  const args = call.childForFieldName('arguments');
  // Arguments the parser had to recover are not copied into a new call.
  if (!args || args.children.some((c) => c.type === 'ERROR' || c.isMissing)) return undefined;
  // `f(x for x in xs)`: the generator expression is the argument list; keep its parentheses.
  if (args.type === 'generator_expression') return args.text;
  const open = args.child(0);
  const close = args.child(args.childCount - 1);
  if (open?.type !== '(' || close?.type !== ')') return undefined;
  const inside = text.slice(open.endIndex, close.startIndex);
  // tree-sitter accepts `f(,)`, Python does not: a lone comma is not copied into a new call.
  if (!args.namedChildren.some((c) => c !== null && c.type !== 'comment') && inside.includes(',')) return undefined;
  return inside;
}

/** Whether a statement has its line(s) to itself: only indentation before it, at most a comment after. */
export function standsAlone(text: string, stmt: Node): boolean {
  const lineStart = text.lastIndexOf('\n', stmt.startIndex - 1) + 1;
  if (!/^[ \t]*$/.test(text.slice(lineStart, stmt.startIndex))) return false;
  let lineEnd = text.indexOf('\n', stmt.endIndex);
  if (lineEnd < 0) lineEnd = text.length;
  return /^[ \t]*(#.*)?\r?$/.test(text.slice(stmt.endIndex, lineEnd));
}

/**
 * Whether a statement is delimited as Python requires: it begins its line or follows `;` or a
 * block header's `:`, and what follows it on its last line is nothing, a comment, or `;` and more
 * statements. In a file that does not parse, a statement the parser recovered may share its line
 * with another one (`x = await f()yield`), and replacing it whole would break the file further.
 */
export function delimited(text: string, stmt: Node): boolean {
  const lineStart = text.lastIndexOf('\n', stmt.startIndex - 1) + 1;
  const before = text.slice(lineStart, stmt.startIndex).trimEnd();
  if (before !== '' && !before.endsWith(';') && !before.endsWith(':')) return false;
  let lineEnd = text.indexOf('\n', stmt.endIndex);
  if (lineEnd < 0) lineEnd = text.length;
  return /^[ \t]*([;#].*)?\r?$/.test(text.slice(stmt.endIndex, lineEnd));
}

/** Line length above which a suggested statement is split over lines (black's default). */
export const MAX_LINE = 88;

/** Where a new statement goes: the indentation of `node`'s line, if `node` starts that line. */
export interface Layout {
  indent: string;
  /** One level of indentation in this file's style. */
  unit: string;
  eol: string;
  /** Whether `node` is the first thing on its line (so new lines can be indented like it). */
  startsLine: boolean;
}

export function layoutAt(text: string, node: Node): Layout {
  const lineStart = text.lastIndexOf('\n', node.startIndex - 1) + 1;
  const prefix = text.slice(lineStart, node.startIndex);
  const startsLine = /^[ \t]*$/.test(prefix);
  const indent = startsLine ? prefix : '';
  return {
    indent,
    unit: indent.includes('\t') ? '\t' : '    ',
    eol: text.includes('\r\n') ? '\r\n' : '\n',
    startsLine,
  };
}

/**
 * The text of an expression moved one indentation level deeper: continuation lines get one more
 * unit, unless a string spans lines (its contents must not change).
 */
export function reindented(expr: Node, eol: string, unit: string): string {
  const text = expr.text;
  if (!text.includes('\n') || expr.descendantsOfType('string').some((s) => s?.text.includes('\n'))) return text;
  return text.split(/\r?\n/).join(`${eol}${unit}`);
}

/**
 * How to write the library function `qname` (`asyncio.sleep`, `aiofiles.open`) at `at`, with the
 * import edit it needs. asyncio is imported when missing; another module must already be
 * imported (as a module, or the function itself) and visible at `at`, else undefined.
 */
export function spellAt(names: NameResolver, text: string, at: Node, qname: string): Spelling | undefined {
  // The answer depends only on the scope at `at`; finding where an import goes reads the module's
  // statements, so a file with thousands of findings must not ask once per finding.
  const scope = names.scopes.scopeAt(at.startIndex, at.endIndex);
  let cache = spellings.get(names);
  if (!cache) spellings.set(names, (cache = new Map()));
  const key = `${scope.start}:${scope.end}:${qname}`;
  if (cache.has(key)) return cache.get(key);
  const spelled = spell(names, text, at, qname);
  cache.set(key, spelled);
  return spelled;
}

type Spelling = { expression: string; importEdit?: TextEdit };
const spellings = new WeakMap<NameResolver, Map<string, Spelling | undefined>>();

function spell(names: NameResolver, text: string, at: Node, qname: string): Spelling | undefined {
  const dot = qname.lastIndexOf('.');
  if (dot < 0) return undefined;
  const module = qname.slice(0, dot);
  const member = qname.slice(dot + 1);
  if (module === 'asyncio') return asyncioMember(names, text, at, member);
  const scopes = names.scopes;
  const here = scopes.scopeAt(at.startIndex, at.endIndex);
  for (const { local, target, plain } of moduleImports(names)) {
    if (scopes.lookup(local, here)?.scope !== scopes.module) continue;
    if (target === qname) return { expression: local };
    if (target === module) return { expression: `${local}.${member}` };
    // `import a.b` binds `a` and makes `a.b.c` reachable.
    if (plain && module.startsWith(`${target}.`))
      return { expression: `${local}${module.slice(target.length)}.${member}` };
  }
  return undefined;
}

/** Module-level names bound only by imports, each of one target; computed once per file. */
function moduleImports(names: NameResolver): { local: string; target: string; plain: boolean }[] {
  let list = importLists.get(names);
  if (list) return list;
  list = [];
  for (const [local, bindings] of names.scopes.module.bindings) {
    const targets = new Set(bindings.map((b) => (b.kind === 'import' ? b.target : undefined)));
    const target = [...targets][0];
    if (targets.size !== 1 || target === undefined) continue;
    list.push({ local, target, plain: bindings.some((b) => b.node.parent?.type !== 'aliased_import') });
  }
  importLists.set(names, list);
  return list;
}

const importLists = new WeakMap<NameResolver, { local: string; target: string; plain: boolean }[]>();

/**
 * How to write `asyncio.<member>` at `at`: the name the module imports it under (`from asyncio
 * import gather as run_all`), or `<alias>.<member>` for `import asyncio as aio`; else
 * `asyncio.<member>` and an edit that adds `import asyncio`. An import whose name is shadowed at
 * `at` does not count; undefined when `asyncio` itself is bound to something else there.
 */
export function asyncioMember(names: NameResolver, text: string, at: Node, member: string): Spelling | undefined {
  const scopes = names.scopes;
  const here = scopes.scopeAt(at.startIndex, at.endIndex);
  const visible = (local: string) => {
    const found = scopes.lookup(local, here);
    return found?.scope === scopes.module && found.bindings.every((b) => b.kind === 'import');
  };
  let viaModule: string | undefined;
  for (const { local, target } of moduleImports(names)) {
    if (target === `asyncio.${member}` && visible(local)) return { expression: local };
    if (target === 'asyncio' && viaModule === undefined && visible(local)) viaModule = local;
  }
  if (viaModule !== undefined) return { expression: `${viaModule}.${member}` };
  // `asyncio` itself names something else here: no spelling of the member is safe.
  if (scopes.lookup('asyncio', here) !== undefined) return undefined;
  return { expression: `asyncio.${member}`, importEdit: importEdit(text, at.tree.rootNode, 'asyncio') };
}

/**
 * The edit that adds `import <module>` at module level: before the first statement after the
 * docstring and `from __future__` imports (as its own group when that statement is not an import).
 */
function importEdit(text: string, root: Node, module: string): TextEdit {
  // Reads the module's statements: once per tree and module, not once per finding.
  let byModule = importEdits.get(root.tree);
  if (!byModule) importEdits.set(root.tree, (byModule = new Map()));
  let edit = byModule.get(module);
  if (!edit) byModule.set(module, (edit = computeImportEdit(text, root, module)));
  return edit;
}

const importEdits = new WeakMap<object, Map<string, TextEdit>>();

function computeImportEdit(text: string, root: Node, module: string): TextEdit {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let preambleEnd = 0;
  let first: Node | undefined;
  for (const stmt of root.namedChildren) {
    if (!stmt || stmt.type === 'comment') continue;
    const isDocstring =
      preambleEnd === 0 && stmt.type === 'expression_statement' && stmt.namedChild(0)?.type === 'string';
    if (isDocstring || stmt.type === 'future_import_statement') {
      preambleEnd = stmt.endIndex;
      continue;
    }
    first = stmt;
    break;
  }
  const isImport = first?.type === 'import_statement' || first?.type === 'import_from_statement';
  if (first && (isImport || preambleEnd === 0)) {
    // At the start of its line: in a file that does not parse, the first statement may be indented
    // (and a fix may insert right where it starts).
    const lineStart = text.lastIndexOf('\n', first.startIndex - 1) + 1;
    const at = /^[ \t]*$/.test(text.slice(lineStart, first.startIndex)) ? lineStart : first.startIndex;
    return { start: at, end: at, newText: `import ${module}${eol}${isImport ? '' : eol + eol}` };
  }
  // After the docstring or `__future__` imports, separated by a blank line.
  return {
    start: preambleEnd,
    end: preambleEnd,
    newText: `${preambleEnd > 0 ? eol + eol : ''}import ${module}${first ? '' : eol}`,
  };
}

/** Display name of a qualified name: `open` for `builtins.open`. */
export function displayName(qname: string): string {
  return qname.startsWith('builtins.') ? qname.slice('builtins.'.length) : qname;
}

/** `async def name` of a function scope node, for messages. */
export function functionLabel(fn: Node): string {
  if (fn.type === 'lambda') return 'a lambda';
  const name = fn.childForFieldName('name')?.text ?? '?';
  return `${fn.child(0)?.type === 'async' ? 'async def' : 'def'} ${name}`;
}
