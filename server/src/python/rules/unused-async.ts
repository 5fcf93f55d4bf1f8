// unused-async (Python): an `async def` whose own body never suspends: no `await`, `async for`,
// `async with` or async comprehension. Calling it only builds a coroutine that returns the result.
// Anchor: the `async` keyword. No fix: callers `await` the function, and `await` on a plain value
// raises, so dropping `async` means editing every call site; that is left to the author.
//
// Not flagged:
// - async generators (a `yield` in the own body): `async` makes them async iterators;
// - stubs whose body is only a docstring, `...`, `pass` or `raise NotImplementedError`: they fix an
//   interface that overrides implement (an empty `async def on_close(self): pass` hook is a stub);
// - `@abstractmethod`, `@typing.overload`, and any decorator other than `staticmethod`,
//   `classmethod` and `functools.wraps(...)` (resolved through imports): a decorator
//   such as `@app.get("/")` or `@pytest.fixture` may require a coroutine function (FastAPI runs a
//   plain `def` handler in a thread pool), so the rule cannot stand behind the advice.
import type { Node } from 'web-tree-sitter';
import type { NameResolver } from '../names';
import type { PyRule } from '../rule';

/** Decorators, by qualified name, that say nothing about needing a coroutine function. */
const NEUTRAL_DECORATORS: ReadonlySet<string> = new Set(['builtins.staticmethod', 'builtins.classmethod', 'functools.wraps']);

/** How the own body of a function suspends or yields, scanning with an explicit stack. */
function scanOwnBody(body: Node): { suspends: boolean; yields: boolean } {
  let suspends = false;
  let yields = false;
  const stack: Node[] = [body];
  while (stack.length > 0 && !suspends && !yields) {
    const node = stack.pop()!;
    switch (node.type) {
      case 'await':
        suspends = true;
        continue;
      case 'yield':
        yields = true;
        break;
      case 'for_statement':
      case 'with_statement':
      case 'for_in_clause':
        if (node.child(0)?.type === 'async') suspends = true;
        break;
      case 'function_definition':
      case 'lambda':
        // Default values (and annotations) are evaluated here, the body is not.
        for (const p of node.childrenForFieldName('parameters')) stack.push(p);
        continue;
      case 'class_definition':
        for (const s of node.childrenForFieldName('superclasses')) stack.push(s);
        continue;
    }
    for (let i = node.childCount - 1; i >= 0; i--) {
      const child = node.child(i);
      if (child) stack.push(child);
    }
  }
  return { suspends, yields };
}

function isDocstring(stmt: Node): boolean {
  return stmt.type === 'expression_statement' && stmt.namedChildCount === 1 && stmt.namedChild(0)!.type === 'string';
}

/** `raise NotImplementedError` or `raise NotImplementedError(...)`, the builtin. */
function raisesNotImplemented(stmt: Node, names: NameResolver): boolean {
  if (stmt.type !== 'raise_statement') return false;
  let exc = stmt.namedChild(0);
  if (exc?.type === 'call') exc = exc.childForFieldName('function');
  return exc?.type === 'identifier' && names.qualifiedName(exc) === 'builtins.NotImplementedError';
}

/** A body made only of a docstring and `...` / `pass` / `raise NotImplementedError`. */
function isStubBody(body: Node, names: NameResolver): boolean {
  const statements = body.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment');
  return statements.every(
    (s, i) =>
      (i === 0 && isDocstring(s)) ||
      s.type === 'pass_statement' ||
      (s.type === 'expression_statement' && s.namedChildCount === 1 && s.namedChild(0)!.type === 'ellipsis') ||
      raisesNotImplemented(s, names),
  );
}

// --- the rule ------------------------------------------------------------------------------------

export const unusedAsync: PyRule = {
  id: 'unused-async',
  create(context) {
    return {
      function_definition(fn) {
        const keyword = fn.child(0);
        if (keyword?.type !== 'async') return;
        const body = fn.childForFieldName('body');
        if (!body) return;
        const { suspends, yields } = scanOwnBody(body);
        if (suspends || yields || isStubBody(body, context.names)) return;
        if (fn.parent?.type === 'decorated_definition') {
          for (const d of fn.parent.namedChildren) {
            if (d?.type !== 'decorator') continue;
            // `functools.wraps(fn)`: the decorator factory's name decides.
            let expr = d.namedChild(0)!;
            if (expr.type === 'call') expr = expr.childForFieldName('function')!;
            const name = context.names.qualifiedName(expr);
            // `@abstractmethod`, `@overload` and framework decorators all end here.
            if (name === undefined || !NEUTRAL_DECORATORS.has(name)) return;
          }
        }
        const name = fn.childForFieldName('name')!.text;
        context.report(
          keyword,
          `'async def ${name}' never awaits: calling it only creates a coroutine that returns the result. ` +
            `Make it a plain 'def' (and drop 'await' at its call sites) unless an interface requires a coroutine function.`,
        );
      },
    };
  },
};
