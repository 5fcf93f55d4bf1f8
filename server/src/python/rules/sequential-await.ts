// sequential-await (Python): adjacent statements that each bind the result of an await, where no
// awaited call uses a name bound earlier in the run, wait for one call before starting the next.
// `asyncio.gather` runs them concurrently. Anchor: the first statement of the run.
//
// What makes a run, precisely:
// - A member is a statement `x = await call(...)`, `x: T = await call(...)`, or one that unpacks
//   into plain names (`a, b = await call(...)`, `(a, *rest) = ...`). The awaited operand must be a
//   call: awaiting an existing task or future (`r = await task`) does not start anything.
// - Anything else ends the run: a bare `await E` (an ordered side effect), a binding to an
//   attribute or subscript (`self.x = await E`: later calls may read it through the object), an
//   `asyncio.gather` / `asyncio.wait` (already concurrent), or any other statement. Comments do not.
// - A member that depends on the run starts a new run: its call uses a name bound earlier in the run,
//   it binds a name bound earlier, or it calls an order-sensitive method (a stream read, a database
//   statement) on the same receiver as an earlier member.
// Runs are found in every block of a function whose innermost enclosing function is `async def`.
//
// Fix (suggestion: if one call raises, gather still runs the others to completion):
// `a, b = await asyncio.gather(E1, E2)`, annotations kept as bare `a: T` lines above, comments from
// inside the run kept above, with `asyncio` as the module imports it (or `import asyncio` added).
import type { Node } from 'web-tree-sitter';
import type { Fix, TextEdit } from '../../engine/types';
import type { PyRule, PyRuleContext } from '../rule';

/**
 * Methods whose calls on one receiver must stay in order (stream and socket reads and writes,
 * database statements): two of them on the same object never join one gather.
 */
export const ORDER_SENSITIVE_METHODS: ReadonlySet<string> = new Set([
  'read', 'readline', 'readlines', 'readexactly', 'readuntil', 'readany', 'readchunk',
  'write', 'writelines', 'drain', 'send', 'sendall', 'recv', 'receive', 'receive_str',
  'receive_bytes', 'receive_json', 'send_str', 'send_bytes', 'send_json',
  'execute', 'executemany', 'fetch', 'fetchrow', 'fetchval', 'fetchone', 'fetchall', 'fetchmany',
  'commit', 'rollback', 'acquire', 'release', 'asend', 'athrow', '__anext__',
]);

/** Awaited calls that already run their arguments concurrently. */
const CONCURRENT_CALLS: ReadonlySet<string> = new Set(['asyncio.gather', 'asyncio.wait']);

/** Line length above which the fix puts one awaited call per line. */
const MAX_LINE = 88;

interface Member {
  stmt: Node;
  /** The assignment target as written. */
  target: Node;
  /** The annotation of `x: T = await ...`, if any. */
  annotation?: Node;
  /** The awaited call. */
  call: Node;
  /** Names the statement binds (targets, and walrus names inside the call). */
  binds: Set<string>;
  /** Names the awaited call reads. */
  uses: Set<string>;
  /** `receiver.method` of an order-sensitive method call. */
  orderedReceiver?: string;
}

// --- the rule ------------------------------------------------------------------------------------

export const sequentialAwait: PyRule = {
  id: 'sequential-await',
  create(context) {
    let names: ModuleNames | undefined;
    const moduleNames = () => (names ??= readModuleNames(context.tree.rootNode, context.text));

    const flush = (run: Member[]) => {
      if (run.length >= 2) report(context, run, moduleNames());
    };

    return {
      block(block) {
        if (!inAsyncFunction(block)) return;
        let run: Member[] = [];
        for (const stmt of block.namedChildren) {
          if (!stmt || stmt.type === 'comment') continue;
          const member = asMember(stmt, moduleNames());
          if (!member) {
            flush(run);
            run = [];
          } else if (dependsOn(member, run)) {
            flush(run);
            run = [member];
          } else {
            run.push(member);
          }
        }
        flush(run);
      },
    };
  },
};

function report(context: PyRuleContext, run: Member[], names: ModuleNames): void {
  const bound = run.map((m) => m.target.text).join(', ');
  const fix = gatherFix(context.text, run, names);
  context.report(
    run[0].stmt,
    `${run.length} independent awaits (${bound}) run one after another; ` +
      `'asyncio.gather' would run them concurrently.`,
    fix ? [fix] : [],
  );
}

/** The statement as a run member, or undefined when it ends a run. */
function asMember(stmt: Node, names: ModuleNames): Member | undefined {
  if (stmt.type !== 'expression_statement' || stmt.namedChildCount !== 1) return undefined;
  const assignment = stmt.namedChild(0)!;
  if (assignment.type !== 'assignment') return undefined;
  const target = assignment.childForFieldName('left');
  const right = assignment.childForFieldName('right');
  if (!target || right?.type !== 'await') return undefined;
  const call = right.namedChild(0);
  if (call?.type !== 'call') return undefined;
  const callee = names.resolve(call.childForFieldName('function')!);
  if (callee && CONCURRENT_CALLS.has(callee)) return undefined;

  const binds = new Set<string>();
  if (!targetNames(target, binds)) return undefined;
  const uses = new Set<string>();
  collectNames(call, uses, binds);
  const member: Member = { stmt, target, call, binds, uses };
  const annotation = assignment.childForFieldName('type');
  if (annotation) member.annotation = annotation;
  const fn = call.childForFieldName('function')!;
  if (fn.type === 'attribute' && ORDER_SENSITIVE_METHODS.has(fn.childForFieldName('attribute')!.text)) {
    member.orderedReceiver = fn.childForFieldName('object')!.text;
  }
  return member;
}

/** Adds the plain names a target binds; false when it binds anything else (attribute, subscript). */
function targetNames(target: Node, out: Set<string>): boolean {
  const stack: Node[] = [target];
  while (stack.length > 0) {
    const n = stack.pop()!;
    switch (n.type) {
      case 'identifier':
        out.add(n.text);
        break;
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'list_splat_pattern':
        for (const c of n.namedChildren) if (c && c.type !== 'comment') stack.push(c);
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Names an expression reads (not attribute or keyword names); walrus names go to `binds`. */
function collectNames(expr: Node, uses: Set<string>, binds: Set<string>): void {
  const stack: Node[] = [expr];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'identifier') {
      uses.add(n.text);
      continue;
    }
    if (n.type === 'attribute') {
      stack.push(n.childForFieldName('object')!);
      continue;
    }
    if (n.type === 'keyword_argument') {
      stack.push(n.childForFieldName('value')!);
      continue;
    }
    if (n.type === 'named_expression') {
      binds.add(n.childForFieldName('name')!.text);
      stack.push(n.childForFieldName('value')!);
      continue;
    }
    for (const c of n.namedChildren) if (c) stack.push(c);
  }
}

function dependsOn(member: Member, run: readonly Member[]): boolean {
  for (const earlier of run) {
    for (const name of earlier.binds) if (member.uses.has(name) || member.binds.has(name)) return true;
    if (member.orderedReceiver !== undefined && member.orderedReceiver === earlier.orderedReceiver) return true;
  }
  return false;
}

// --- the fix -------------------------------------------------------------------------------------

function gatherFix(text: string, run: Member[], names: ModuleNames): Fix | undefined {
  const first = run[0].stmt;
  const last = run[run.length - 1].stmt;
  const lineStart = text.lastIndexOf('\n', first.startIndex - 1) + 1;
  const prefix = text.slice(lineStart, first.startIndex);
  const startsLine = /^[ \t]*$/.test(prefix);
  const indent = startsLine ? prefix : '';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const unit = indent.includes('\t') ? '\t' : '    ';

  const gather = names.asyncioMember('gather');
  const targets = run.map((m) => (m.target.type === 'pattern_list' ? `(${m.target.text})` : m.target.text)).join(', ');
  const calls = run.map((m) => reindent(m.call, eol, unit));
  const oneLine = `${targets} = await ${gather.expression}(${calls.join(', ')})`;
  const statement =
    calls.some((c) => c.includes('\n')) || indent.length + oneLine.length > MAX_LINE
      ? `${targets} = await ${gather.expression}(${eol}${calls.map((c) => `${indent}${unit}${c},${eol}`).join('')}${indent})`
      : oneLine;

  // Lines that go above the new statement: bare annotations, then the comments inside the run.
  const above: string[] = [];
  for (const m of run) if (m.annotation) above.push(`${m.target.text}: ${m.annotation.text}`);
  const block = first.parent!;
  for (const c of block.namedChildren) {
    if (c?.type === 'comment' && c.startIndex > first.startIndex && c.endIndex <= last.endIndex) above.push(c.text.trimEnd());
  }
  if ((above.length > 0 || statement.includes('\n')) && !startsLine) return undefined;

  const edits: TextEdit[] = [
    { start: first.startIndex, end: last.endIndex, newText: [...above, statement].join(`${eol}${indent}`) },
  ];
  if (gather.importEdit) edits.push(gather.importEdit);
  return { title: `Await them together with ${gather.expression}(...)`, edits, safe: false };
}

/**
 * The text of a call moved one level deeper: continuation lines get one more indent unit, unless a
 * string spans lines (its contents must not change).
 */
export function reindent(call: Node, eol: string, unit: string): string {
  const text = call.text;
  if (!text.includes('\n') || call.descendantsOfType('string').some((s) => s?.text.includes('\n'))) return text;
  return text.split(/\r?\n/).join(`${eol}${unit}`);
}

// --- syntax and names (minimal; to be replaced by the shared Python helpers) ---------------------

/** True when the innermost function around `node` is `async def` (a class body stops the search). */
function inAsyncFunction(node: Node): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'function_definition') return n.child(0)?.type === 'async';
    if (n.type === 'lambda' || n.type === 'class_definition') return false;
  }
  return false;
}

export interface ModuleNames {
  /** The qualified name an expression (`gather`, `aio.gather`) stands for, if imported. */
  resolve(expr: Node): string | undefined;
  /** How to write `asyncio.<member>` here, and the import to add when asyncio is not imported. */
  asyncioMember(member: string): { expression: string; importEdit?: TextEdit };
}

export function readModuleNames(root: Node, text: string): ModuleNames {
  const imports = new Map<string, string>();
  // Where `import asyncio` goes: before the first statement after the docstring and `__future__` imports.
  let insertBefore: Node | undefined;
  let preambleEnd = 0;
  for (const stmt of root.namedChildren) {
    if (!stmt || stmt.type === 'comment') continue;
    const isDocstring = preambleEnd === 0 && !insertBefore && stmt.type === 'expression_statement' && stmt.namedChild(0)?.type === 'string';
    if (!insertBefore && (isDocstring || stmt.type === 'future_import_statement')) {
      preambleEnd = stmt.endIndex;
      continue;
    }
    insertBefore ??= stmt;
    if (stmt.type === 'import_statement') {
      for (const name of stmt.childrenForFieldName('name')) {
        if (name.type === 'aliased_import') imports.set(name.childForFieldName('alias')!.text, name.childForFieldName('name')!.text);
        else imports.set(name.text.split('.')[0], name.text.split('.')[0]);
      }
    } else if (stmt.type === 'import_from_statement') {
      const module = stmt.childForFieldName('module_name');
      if (module?.type !== 'dotted_name') continue;
      for (const name of stmt.childrenForFieldName('name')) {
        if (name.type === 'aliased_import') imports.set(name.childForFieldName('alias')!.text, `${module.text}.${name.childForFieldName('name')!.text}`);
        else imports.set(name.text, `${module.text}.${name.text}`);
      }
    }
  }
  const resolve = (expr: Node): string | undefined => {
    const parts: string[] = [];
    let n: Node | null = expr;
    while (n?.type === 'attribute') {
      parts.unshift(n.childForFieldName('attribute')!.text);
      n = n.childForFieldName('object');
    }
    if (n?.type !== 'identifier') return undefined;
    const head = imports.get(n.text);
    return head === undefined ? undefined : [head, ...parts].join('.');
  };
  return {
    resolve,
    asyncioMember(member) {
      for (const [local, qualified] of imports) if (qualified === `asyncio.${member}`) return { expression: local };
      for (const [local, qualified] of imports) if (qualified === 'asyncio') return { expression: `${local}.${member}` };
      const eol = text.includes('\r\n') ? '\r\n' : '\n';
      let importEdit: TextEdit;
      const isImport = insertBefore?.type === 'import_statement' || insertBefore?.type === 'import_from_statement';
      if (insertBefore && (isImport || preambleEnd === 0)) {
        const at = insertBefore.startIndex;
        importEdit = { start: at, end: at, newText: `import asyncio${eol}${isImport ? '' : eol + eol}` };
      } else if (insertBefore) {
        // After the docstring or `__future__` imports, separated by a blank line.
        importEdit = { start: preambleEnd, end: preambleEnd, newText: `${eol}${eol}import asyncio` };
      } else {
        importEdit = { start: preambleEnd, end: preambleEnd, newText: `${preambleEnd > 0 ? eol : ''}import asyncio${eol}` };
      }
      return { expression: `asyncio.${member}`, importEdit };
    },
  };
}
