// sequential-await: adjacent statements that each bind the result of awaiting a call
// (`const a = await f()`, `a = await f()`), where no awaited call uses a variable bound earlier in
// the run. Each call waits for the one before it to finish although it does not need its result.
// Anchor: the first statement of the run; one finding per run.
//
// Not part of a run (and so ending one): a bare `await f();` (an ordered side effect), an await
// of something already started (`await p`), `Promise.all(...)` and friends (already concurrent),
// a call whose order matters (ORDER_SENSITIVE_CALLS), an assignment to a property
// (`this.x = await f()` is a mutation a later call may read), `x += await f()`, declarations of
// several variables, `using`. Module top level is left alone: top-level awaits order a module's
// initialisation.
// Fix (suggestion: the calls' side effects then overlap): `const [a, b] = await Promise.all([f(), g()]);`
// keeping const/let/var, type annotations (as a tuple type), comments and indentation. A run that
// mixes declarations with assignments, or const with let, gets no fix: one destructuring cannot
// both declare and assign, nor declare with two keywords.
import ts from 'typescript';
import type { Fix } from '../../engine/types';
import {
  awaitedCall,
  calleeName,
  callModel,
  hasStatefulArgument,
  isPromiseCombinatorCall,
  type AwaitedCall,
  type CallModel,
} from '../concurrency';
import { concurrencyCatalog } from '../../engine/concurrency-catalog';
import { boundIdentifiers, VariableSet } from '../dataflow';
import {
  commentsAfter,
  commentsWithin,
  endsWithSemicolon,
  indentUnit,
  lineIndent,
  lineOf,
  needsSemicolonGuard,
  reindent,
} from '../fix-text';
import type { TsRule, TsRuleContext } from '../rule';
import { enclosingFunction, isAsyncFunction, skipParentheses } from '../utils';
import meta from '../../rules-meta/sequential-await';

export const sequentialAwait: TsRule = {
  id: meta.id,
  create(context) {
    const check = (node: ts.Node) => {
      const statements = (node as ts.Block | ts.CaseOrDefaultClause).statements;
      if (statements.length < 2) return;
      const shapes = statements.map(memberShape);
      let candidates = 0;
      for (const s of shapes) if (s) candidates++;
      if (candidates < 2) return;
      const fn = enclosingFunction(node);
      if (!fn || !isAsyncFunction(fn)) return;

      const { types } = context;
      const catalog = concurrencyCatalog(context.config);
      let run: Member[] = [];
      let bound = new VariableSet(types);
      const flush = () => {
        if (run.length >= 2) reportRun(context, run);
        run = [];
        bound = new VariableSet(types);
      };
      for (const m of shapes) {
        if (!m || isPromiseCombinatorCall(types, m.call)) {
          flush();
          continue;
        }
        // Shared state: the object's own (`this`), an ordered call (events, streams, logging,
        // hooks), a stateful receiver or argument. Such a call joins no run.
        const model = (m.model = callModel(types, m.call, catalog));
        if (model.onThis || model.ordered || model.kind === 'stateful' || hasStatefulArgument(types, m.call, catalog)) {
          flush();
          continue;
        }
        const { ids, others } = boundIdentifiers(m.target);
        if (others.length > 0) {
          flush();
          continue;
        }
        // A receiver an earlier member also calls through is shared state, unless known safe.
        const shared =
          model.receiver !== undefined &&
          model.kind !== 'safe' &&
          run.some((r) => r.model?.receiver === model.receiver);
        const dependent =
          shared ||
          bound.usedIn(m.awaited) ||
          (m.type !== undefined && bound.usedIn(m.type)) ||
          ids.some((id) => bound.has(id));
        if (dependent) flush();
        run.push(m);
        if (!ids.every((id) => bound.add(id))) {
          // A name the checker cannot place: nothing after it can be judged independent of it.
          flush();
        }
      }
      flush();
    };
    return {
      [ts.SyntaxKind.Block]: check,
      [ts.SyntaxKind.CaseClause]: check,
      [ts.SyntaxKind.DefaultClause]: check,
    };
  },
};

// ---- the check ----------------------------------------------------------------------------------

/** Longest single-line `Promise.all([...])` statement before the fix breaks it over lines. */
const MAX_LINE = 80;

type BindingKind = 'const' | 'let' | 'var' | 'assignment';

/** One statement of a run: `<kind> <target>: <type> = await <call>`. */
interface Member {
  statement: ts.Statement;
  kind: BindingKind;
  /** The binding name or assignment target, as written. */
  target: ts.BindingName | ts.Expression;
  type?: ts.TypeNode;
  /** The declaration, for reading the type of an unannotated one. */
  declaration?: ts.VariableDeclaration;
  awaited: ts.Expression;
  call: AwaitedCall;
  model?: CallModel;
}

/** The statement's shape as a run member, from syntax alone. */
function memberShape(statement: ts.Statement): Member | undefined {
  if (ts.isVariableStatement(statement)) {
    const list = statement.declarationList;
    if (list.declarations.length !== 1 || list.flags & ts.NodeFlags.Using) return undefined;
    const d = list.declarations[0];
    if (!d.initializer || d.exclamationToken) return undefined;
    const init = skipParentheses(d.initializer);
    if (!ts.isAwaitExpression(init)) return undefined;
    const call = awaitedCall(init);
    if (!call) return undefined;
    const kind: BindingKind = list.flags & ts.NodeFlags.Const ? 'const' : list.flags & ts.NodeFlags.Let ? 'let' : 'var';
    return { statement, kind, target: d.name, type: d.type, declaration: d, awaited: init.expression, call };
  }
  if (ts.isExpressionStatement(statement)) {
    const e = skipParentheses(statement.expression);
    if (!ts.isBinaryExpression(e) || e.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
    const right = skipParentheses(e.right);
    if (!ts.isAwaitExpression(right)) return undefined;
    const call = awaitedCall(right);
    if (!call) return undefined;
    return { statement, kind: 'assignment', target: e.left, awaited: right.expression, call };
  }
  return undefined;
}

function describeCall(call: AwaitedCall): string {
  const name = calleeName(call);
  return name ? `'${name}(...)'` : 'a call';
}

function reportRun(context: TsRuleContext, run: Member[]): void {
  const calls = run.map((m) => describeCall(m.call));
  const message =
    `${run.length} awaits in a row do not use each other's results (${calls.join(', ')}), yet each waits for the one before. ` +
    'Start them together with Promise.all.';
  const fix = promiseAllFix(context, run);
  context.report(run[0].statement, message, fix ? [fix] : []);
}

// ---- the fixes ----------------------------------------------------------------------------------

/** The tuple type for the declarations, '' when none is annotated, undefined when it cannot be written. */
function tupleType(context: TsRuleContext, run: Member[]): string | undefined {
  const sf = context.sourceFile;
  if (run.every((m) => !m.type)) return '';
  const parts: string[] = [];
  for (const m of run) {
    if (m.type) {
      parts.push(m.type.getText(sf));
      continue;
    }
    // Unannotated next to annotated: write the type TypeScript inferred, if it prints as plain,
    // in-scope names.
    const printed = context.types.typeToString(
      context.types.getTypeAtLocation(m.declaration!.name),
      m.statement,
      ts.TypeFormatFlags.NoTruncation,
    );
    if (printed.includes('import(') || printed.includes('...') || printed === 'any') return undefined;
    parts.push(printed);
  }
  return `[${parts.join(', ')}]`;
}

function promiseAllFix(context: TsRuleContext, run: Member[]): Fix | undefined {
  const sf = context.sourceFile;
  const kind = run[0].kind;
  if (run.some((m) => m.kind !== kind)) return undefined;
  const type = kind === 'assignment' ? '' : tupleType(context, run);
  if (type === undefined) return undefined;

  // Comments the replaced text holds outside the copied operands and targets go with their member:
  // before its element, or after it when they trailed its line.
  const before: string[][] = run.map(() => []);
  const after: string[][] = run.map(() => []);
  const copied = run.flatMap((m) => [m.awaited, m.target, ...(m.type ? [m.type] : [])]);
  const inCopied = (r: ts.CommentRange) => copied.some((c) => r.pos >= c.getStart(sf) && r.end <= c.end);
  run.forEach((m, i) => {
    for (const r of commentsWithin(sf, m.statement)) if (!inCopied(r)) before[i].push(sf.text.slice(r.pos, r.end));
    if (i + 1 < run.length) {
      const endLine = lineOf(sf, m.statement.end);
      for (const r of commentsAfter(sf, m.statement.end)) {
        (lineOf(sf, r.pos) === endLine ? after[i] : before[i + 1]).push(sf.text.slice(r.pos, r.end));
      }
    }
  });

  const first = run[0].statement;
  const indent = lineIndent(sf, first.getStart(sf));
  const unit = indentUnit(sf);
  const targets = run.map((m) => m.target.getText(sf));
  const head =
    (kind === 'assignment' ? (needsSemicolonGuard(sf, first) ? ';' : '') : `${kind} `) +
    `[${targets.join(', ')}]${type ? `: ${type}` : ''} = await Promise.all([`;
  const semicolon = endsWithSemicolon(sf, run[run.length - 1].statement) ? ';' : '';
  const operands = run.map((m) => m.awaited.getText(sf));
  const hasComments = before.some((c) => c.length > 0) || after.some((c) => c.length > 0);
  const oneLine = `${head}${operands.join(', ')}])${semicolon}`;

  let text: string;
  if (!hasComments && !operands.some((o) => /[\r\n]/.test(o)) && indent.length + oneLine.length <= MAX_LINE) {
    text = oneLine;
  } else {
    const inner = indent + unit;
    const eol = sf.text.includes('\r\n') ? '\r\n' : '\n';
    const lines = [head];
    run.forEach((_m, i) => {
      for (const c of before[i]) lines.push(inner + reindent(c, unit));
      // Comments that trailed a statement's line trail its element; a `//` one is always last.
      lines.push([`${inner}${reindent(operands[i], unit)},`, ...after[i]].join(' '));
    });
    lines.push(`${indent}])${semicolon}`);
    text = lines.join(eol);
  }
  return {
    title: `Run the ${run.length} awaits concurrently with Promise.all`,
    edits: [{ start: first.getStart(sf), end: run[run.length - 1].statement.end, newText: text }],
    safe: false,
  };
}
