// Data flow within one Python function, by syntax, for the rules that decide whether awaits depend
// on each other: which names a target binds and what else it assigns, which names and attribute
// paths an expression reads. Names are compared as written (Python binds names per function:
// scope.ts has the scopes). Every walk is an explicit stack.
import type { SyntaxNode as Node } from './syntax';
import { compactText } from './utils';

/** Targets made of other targets: `a, b`, `(a, b)`, `[a, b]`, `*rest`, `with ... as (a, b)`. */
const TARGET_CONTAINERS: ReadonlySet<string> = new Set([
  'pattern_list',
  'tuple_pattern',
  'list_pattern',
  'tuple',
  'list',
  'parenthesized_expression',
  'list_splat_pattern',
  'as_pattern_target',
]);

/**
 * What a target assigns: the identifiers it binds, and the other targets it writes (`self.x`,
 * `d[k]`), each in source order. `a, (b, *c), self.d` binds a, b, c and writes `self.d`.
 */
export function boundIdentifiers(target: Node): { ids: Node[]; others: Node[] } {
  const ids: Node[] = [];
  const others: Node[] = [];
  const stack: Node[] = [target];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'identifier') ids.push(n);
    else if (TARGET_CONTAINERS.has(n.type)) {
      const children = n.namedChildren;
      for (let i = children.length - 1; i >= 0; i--) if (children[i].type !== 'comment') stack.push(children[i]);
    } else others.push(n);
  }
  return { ids, others };
}

/** The variable at the root of `a`, `a.b[c].d`; undefined for `f().x`, `(a or b).x`. */
export function rootIdentifier(expr: Node): Node | undefined {
  let e: Node | null = expr;
  while (e?.type === 'attribute' || e?.type === 'subscript')
    e = e.childForFieldName(e.type === 'attribute' ? 'object' : 'value');
  return e?.type === 'identifier' ? e : undefined;
}

/** The names a target binds, when it assigns nothing else (no attribute, no subscript); else undefined. */
export function plainTargetNames(target: Node): Set<string> | undefined {
  const { ids, others } = boundIdentifiers(target);
  return others.length > 0 ? undefined : new Set(ids.map((id) => id.text));
}

/**
 * Names and `obj.attr` paths an expression reads (`self.token` reads `self` and `self.token`; an
 * attribute's or a keyword argument's own name is not read). A walrus name counts as read.
 */
export function readPaths(expr: Node): Set<string> {
  const out = new Set<string>();
  const stack: Node[] = [expr];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'identifier') out.add(n.text);
    if (n.type === 'attribute') {
      out.add(compactText(n));
      stack.push(n.childForFieldName('object')!);
      continue;
    }
    if (n.type === 'keyword_argument') {
      stack.push(n.childForFieldName('value')!);
      continue;
    }
    for (const c of n.namedChildren) stack.push(c);
  }
  return out;
}

/** The names walrus expressions (`(n := len(x))`) in `expr` bind. */
export function walrusNames(expr: Node): string[] {
  return expr.descendantsOfType('named_expression').map((w) => w.childForFieldName('name')!.text);
}
