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
// Runs are found in every block of a function whose innermost enclosing function is `async def`,
// in modules that do not import trio, anyio or curio (there, concurrency is a nursery or task
// group, not `asyncio.gather`).
//
// Fix (suggestion: if one call raises, gather still runs the others to completion):
// `a, b = await asyncio.gather(E1, E2)`, annotations kept as bare `a: T` lines above, comments from
// inside the run kept above, with `asyncio` as the module imports it (or `import asyncio` added).
import type { SyntaxNode as Node } from '../syntax';
import type { Fix, TextEdit } from '../../engine/types';
import {
  CONCURRENT_CALLS,
  hasStatefulArgument,
  orderSensitiveReceiver,
  pyCallModel,
  usesOtherFramework,
  type PyCallModel,
} from '../concurrency';
import { concurrencyCatalog, type ConcurrencyCatalog } from '../../engine/concurrency-catalog';
import { plainTargetNames, readPaths, walrusNames } from '../dataflow';
import { asyncioMember, delimited, layoutAt, MAX_LINE, reindented } from '../fix-text';
import type { NameResolver } from '../names';
import type { PyRule, PyRuleContext } from '../rule';
import meta from '../../rules-meta/sequential-await';

export const sequentialAwait: PyRule = {
  id: meta.id,
  create(context) {
    return {
      block(block) {
        // A cheap syntactic look first: names are resolved only for blocks with a candidate run.
        if (!hasCandidateRun(block)) return;
        const names = context.names;
        if (!names.inAsyncFunction(block) || usesOtherFramework(names)) return;
        const catalog = concurrencyCatalog(context.config);
        let run: Member[] = [];
        const flush = () => {
          if (run.length >= 2) report(context, run);
        };
        for (const stmt of block.namedChildren) {
          if (!stmt || stmt.type === 'comment') continue;
          const member = asMember(stmt, names, catalog);
          if (!member) {
            flush();
            run = [];
          } else if (dependsOn(member, run)) {
            flush();
            run = [member];
          } else {
            run.push(member);
          }
        }
        flush();
      },
    };
  },
};

// ---- the check ----------------------------------------------------------------------------------

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
  /** Names (and `obj.attr` paths) the awaited call reads. */
  uses: Set<string>;
  /** `receiver.method` of an order-sensitive method call. */
  orderedReceiver?: string;
  model: PyCallModel;
}

function report(context: PyRuleContext, run: Member[]): void {
  const bound = run.map((m) => m.target.text).join(', ');
  const fix = gatherFix(context.text, run, context.names);
  context.report(
    run[0].stmt,
    `${run.length} independent awaits (${bound}) run one after another; ` +
      `'asyncio.gather' would run them concurrently.`,
    fix ? [fix] : [],
  );
}

/** The awaited call of `x = await call(...)` (any target), or undefined. */
function awaitedCall(stmt: Node): Node | undefined {
  if (stmt.type !== 'expression_statement' || stmt.namedChildCount !== 1) return undefined;
  const assignment = stmt.namedChild(0)!;
  if (assignment.type !== 'assignment') return undefined;
  const right = assignment.childForFieldName('right');
  const call = right?.type === 'await' ? right.namedChild(0) : undefined;
  return call?.type === 'call' ? call : undefined;
}

/** Whether two adjacent statements of the block await a call into a binding. */
function hasCandidateRun(block: Node): boolean {
  let previous = false;
  for (const stmt of block.namedChildren) {
    if (!stmt || stmt.type === 'comment') continue;
    const candidate = awaitedCall(stmt) !== undefined;
    if (candidate && previous) return true;
    previous = candidate;
  }
  return false;
}

/** The statement as a run member, or undefined when it ends a run. */
function asMember(stmt: Node, names: NameResolver, catalog: ConcurrencyCatalog): Member | undefined {
  const call = awaitedCall(stmt);
  if (!call) return undefined;
  const callee = names.qualifiedName(call.childForFieldName('function')!);
  if (callee && CONCURRENT_CALLS.has(callee)) return undefined;
  // Shared state: the object's own (`self`), an ordered call (events, streams, logging, hooks), a
  // stateful receiver or argument. Such a call joins no run.
  const model = pyCallModel(call, names, catalog);
  if (model.onSelf || model.ordered || model.kind === 'stateful' || hasStatefulArgument(call, names, catalog))
    return undefined;
  const assignment = stmt.namedChild(0)!;
  const target = assignment.childForFieldName('left')!;
  const binds = plainTargetNames(target);
  if (!binds) return undefined;
  for (const name of walrusNames(call)) binds.add(name);
  const uses = readPaths(call);
  const member: Member = { stmt, target, call, binds, uses, model };
  const annotation = assignment.childForFieldName('type');
  if (annotation) member.annotation = annotation;
  const receiver = model.kind === 'safe' ? undefined : orderSensitiveReceiver(call, names);
  if (receiver !== undefined) member.orderedReceiver = receiver;
  return member;
}

function dependsOn(member: Member, run: readonly Member[]): boolean {
  for (const earlier of run) {
    for (const name of earlier.binds) if (member.uses.has(name) || member.binds.has(name)) return true;
    if (member.orderedReceiver !== undefined && member.orderedReceiver === earlier.orderedReceiver) return true;
    // A receiver both share is shared state, unless known safe for concurrent use.
    if (
      member.model.receiver !== undefined &&
      member.model.kind !== 'safe' &&
      member.model.receiver === earlier.model.receiver
    )
      return true;
  }
  return false;
}

// ---- the fixes ----------------------------------------------------------------------------------

function gatherFix(text: string, run: Member[], names: NameResolver): Fix | undefined {
  // The statements are replaced whole: each must be delimited (see delimited()).
  if (!run.every((m) => delimited(text, m.stmt))) return undefined;
  const first = run[0].stmt;
  const last = run[run.length - 1].stmt;
  const { indent, unit, eol, startsLine } = layoutAt(text, first);

  const gather = asyncioMember(names, text, first, 'gather');
  if (!gather) return undefined;
  const targets = run.map((m) => (m.target.type === 'pattern_list' ? `(${m.target.text})` : m.target.text)).join(', ');
  const calls = run.map((m) => reindented(m.call, eol, unit));
  const oneLine = `${targets} = await ${gather.expression}(${calls.join(', ')})`;
  const statement =
    calls.some((c) => c.includes('\n')) || indent.length + oneLine.length > MAX_LINE
      ? `${targets} = await ${gather.expression}(${eol}${calls.map((c) => `${indent}${unit}${c},${eol}`).join('')}${indent})`
      : oneLine;

  // Lines that go above the new statement: bare annotations, then the comments inside the run.
  const above: string[] = [];
  for (const m of run) if (m.annotation) above.push(`${m.target.text}: ${m.annotation.text}`);
  for (const c of first.parent!.namedChildren) {
    if (c?.type === 'comment' && c.startIndex > first.startIndex && c.endIndex <= last.endIndex)
      above.push(c.text.trimEnd());
  }
  if ((above.length > 0 || statement.includes('\n')) && !startsLine) return undefined;

  const edits: TextEdit[] = [
    { start: first.startIndex, end: last.endIndex, newText: [...above, statement].join(`${eol}${indent}`) },
  ];
  if (gather.importEdit) edits.push(gather.importEdit);
  return { title: `Await them together with ${gather.expression}(...)`, edits, safe: false };
}
