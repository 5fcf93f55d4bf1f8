// Small syntactic helpers shared by the Python rules: a name as written without white space, and
// expressions through their parentheses (a comment inside them is no part of the expression).
import type { SyntaxNode as Node } from './syntax';

/**
 * A node's text without white space: a dotted name, callee or receiver as one string
 * (`loop . run_until_complete` -> `loop.run_until_complete`), for messages and comparisons.
 */
export function compactText(node: Node): string {
  return node.text.replace(/\s+/g, '');
}

/** The expression inside `node` when `node` is a parenthesized one: `x` of `(x)` and of `(  # why\n x)`. */
export function insideParentheses(node: Node): Node | undefined {
  if (node.type !== 'parenthesized_expression') return undefined;
  let inside: Node | undefined;
  for (const c of node.namedChildren) {
    if (c.type === 'comment') continue;
    if (inside) return undefined;
    inside = c;
  }
  return inside;
}

/** `node` without the parentheses around it: `x` of `((x))`. */
export function unparenthesized(node: Node): Node;
export function unparenthesized(node: Node | null): Node | null;
export function unparenthesized(node: Node | null): Node | null {
  let n = node;
  for (let inside = n && insideParentheses(n); inside; inside = insideParentheses(inside)) n = inside;
  return n;
}

/** `node` with the parentheses around it: the outermost `((node))`, which its parent sees. */
export function withParentheses(node: Node): Node {
  let n = node;
  for (let p = n.parent; p && insideParentheses(p)?.id === n.id; p = n.parent) n = p;
  return n;
}
