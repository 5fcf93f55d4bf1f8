// dangling-task (Python): a task created and not kept. The event loop holds only a weak reference
// to a task, so a task nobody references can be garbage-collected before it finishes, and an
// exception it raises is never retrieved. Anchor: the statement.
//
// Flagged: a statement that is `asyncio.create_task(...)`, `asyncio.ensure_future(...)` or
// `loop.create_task(...)` (loop from `asyncio.get_running_loop()` / `get_event_loop()`, or
// annotated `asyncio.AbstractEventLoop`), also with `.add_done_callback(...)` chained.
// Not flagged: `tg.create_task(...)` on an `asyncio.TaskGroup` (the group keeps its tasks); a task
// stored in a variable, set, list, dict or attribute, returned, awaited or passed to a call;
// `create_task` on a receiver whose kind is not known; in a notebook, the last statement of a cell
// (IPython keeps a cell's output value in `Out`), unless a `;` silences it.
//
// Fix (suggestion): keep a reference until the task is done, the pattern the asyncio docs give:
//     task = asyncio.create_task(work())
//     _background_tasks.add(task)
//     task.add_done_callback(_background_tasks.discard)
// with `_background_tasks = set()` added at module level after the imports when missing.
import type { SyntaxNode as Node } from '../syntax';
import type { Fix, TextEdit } from '../../engine/types';
import { delimited, standsAlone } from '../fix-text';
import { cellAt } from '../notebook';
import type { PyRule, PyRuleContext } from '../rule';
import { compactText, unparenthesized } from '../utils';
import meta from '../../rules-meta/dangling-task';

export const danglingTask: PyRule = {
  id: meta.id,
  create(context) {
    return {
      expression_statement(stmt) {
        if (stmt.namedChildCount !== 1) return;
        const expr = unparenthesized(stmt.namedChild(0));
        if (expr?.type !== 'call') return;
        const found = taskCall(expr);
        if (!found) return;
        const qname = context.names.callee(found.call).qname;
        if (!qname || !context.catalog.isTaskFactory(qname)) return;
        if (context.notebook && keptAsCellOutput(context, stmt)) return;
        const written = compactText(found.call.childForFieldName('function')!);
        context.report(
          stmt,
          `The task from '${written}(...)' is not kept: the event loop holds tasks weakly, so it can be garbage-collected before it finishes, and its exception is lost. Keep a reference until it is done.`,
          fixes(context, stmt, found.call, expr),
        );
      },
    };
  },
};

// ---- the check ----------------------------------------------------------------------------------

const TASK_SET = '_background_tasks';
const TASK_NAMES = ['task', 'background_task', 'bg_task'];
const FACTORY_NAMES = new Set(['create_task', 'ensure_future']);

/** `f(...)` or `f(...).add_done_callback(cb)`: a candidate task-creating call, read syntactically. */
function taskCall(expr: Node): { call: Node; chained: boolean } | undefined {
  const fn = expr.childForFieldName('function');
  if (fn?.type !== 'attribute' && fn?.type !== 'identifier') return undefined;
  const name = fn.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn.text;
  if (name === 'add_done_callback' && fn.type === 'attribute') {
    const inner = unparenthesized(fn.childForFieldName('object'));
    if (inner?.type !== 'call') return undefined;
    const found = taskCall(inner);
    return found && !found.chained ? { call: found.call, chained: true } : undefined;
  }
  // Attribute names cannot be aliased; a bare name may be (`from asyncio import create_task as spawn`).
  return fn.type === 'identifier' || (name && FACTORY_NAMES.has(name)) ? { call: expr, chained: false } : undefined;
}

/**
 * In a notebook, the last statement of a cell, at its top level, is the cell's output: IPython
 * keeps its value in `Out` (and `_`), so a task created there is referenced. A trailing `;`
 * silences the output, and nothing is kept.
 */
function keptAsCellOutput(context: PyRuleContext, stmt: Node): boolean {
  const module = stmt.parent;
  if (module?.type !== 'module' || /^[ \t]*;/.test(context.text.slice(stmt.endIndex))) return false;
  const cells = context.notebook!;
  const cell = cellAt(cells, stmt.startIndex);
  const nextCell = cells.cellStarts[cell + 1] ?? Infinity;
  const siblings = module.namedChildren;
  const after = siblings.slice(siblings.findIndex((n) => n?.id === stmt.id) + 1).find((n) => n && n.type !== 'comment');
  return !after || after.startIndex >= nextCell;
}

// ---- the fixes ----------------------------------------------------------------------------------

function fixes(context: PyRuleContext, stmt: Node, call: Node, expr: Node): Fix[] {
  const { names, text } = context;
  if (!standsAlone(text, stmt)) return [];
  const scopes = names.scopes;
  const here = scopes.scopeAt(stmt.startIndex, stmt.endIndex);
  const taskName = TASK_NAMES.find((n) => scopes.lookup(n, here) === undefined);
  if (!taskName) return [];
  const set = (
    cachedSets.has(context.names)
      ? cachedSets.get(context.names)
      : cachedSets.set(context.names, taskSet(context)).get(context.names)
  ) as { edit?: TextEdit } | undefined;
  if (!set) return [];
  const lineStart = text.lastIndexOf('\n', stmt.startIndex - 1) + 1;
  const indent = text.slice(lineStart, stmt.startIndex);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = [
    `${taskName} = ${call.text}`,
    `${TASK_SET}.add(${taskName})`,
    `${taskName}.add_done_callback(${TASK_SET}.discard)`,
  ];
  // The chained part (`.add_done_callback(cb)`) stays, on the kept task.
  const kept = [{ start: call.startIndex, end: call.endIndex }];
  if (expr.id !== call.id) {
    const receiver = expr.childForFieldName('function')!.childForFieldName('object')!;
    lines.push(taskName + text.slice(receiver.endIndex, expr.endIndex));
    kept.push({ start: receiver.endIndex, end: expr.endIndex });
  }
  // A comment in the statement but outside the text kept (`(  # why\n create_task(...))`) would be lost.
  const lost = (c: Node) => !kept.some((k) => k.start <= c.startIndex && c.endIndex <= k.end);
  if (stmt.descendantsOfType('comment').some(lost)) return [];
  return [
    {
      title: `Keep a reference to the task (in a module-level set until it is done)`,
      edits: [
        { start: stmt.startIndex, end: stmt.endIndex, newText: lines.join(eol + indent) },
        ...(set.edit ? [set.edit] : []),
      ],
      safe: false,
    },
  ];
}

/** taskSet per file: it reads the module's statements, once. */
const cachedSets = new WeakMap<object, { edit?: TextEdit } | undefined>();

/**
 * The module-level task set: already there (`_background_tasks = set()`), or an edit adding it
 * after the leading imports. Undefined when the name is bound to something else.
 */
function taskSet(context: PyRuleContext): { edit?: TextEdit } | undefined {
  const { names, text, tree } = context;
  const existing = names.scopes.module.bindings.get(TASK_SET);
  if (existing) {
    const ok = existing.every(
      (b) => b.kind === 'value' && b.value?.type === 'call' && compactText(b.value) === 'set()',
    );
    return ok ? {} : undefined;
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let after: Node | undefined;
  let first: Node | undefined;
  for (const stmt of tree.rootNode.namedChildren) {
    if (!stmt || stmt.type === 'comment') continue;
    const isDocstring =
      !after && !first && stmt.type === 'expression_statement' && stmt.namedChild(0)?.type === 'string';
    const isImport =
      stmt.type === 'import_statement' ||
      stmt.type === 'import_from_statement' ||
      stmt.type === 'future_import_statement';
    if (isDocstring || isImport) {
      after = stmt;
      continue;
    }
    first = stmt;
    break;
  }
  // In a file that does not parse, the statement next to the insertion may share its line with
  // another one (`import asyncio time.sleep(1)`): inserting there would break the file further.
  const neighbour = after ?? first;
  if (neighbour && !delimited(text, neighbour)) return undefined;
  const line = `${TASK_SET} = set()`;
  if (after) return { edit: { start: after.endIndex, end: after.endIndex, newText: `${eol}${eol}${line}` } };
  const at = first?.startIndex ?? 0;
  return { edit: { start: at, end: at, newText: `${line}${eol}${eol}${eol}` } };
}
