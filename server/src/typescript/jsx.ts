// JSX children: between an element's tags, text is page content, not code. A `//` there is text
// that renders; a comment has to be written `{/* ... */}`.
import path from 'node:path';
import ts from 'typescript';

/** Whether TypeScript parses JSX in a file of this name (.tsx, .jsx and the JavaScript extensions). */
export function mayHoldJsx(file: string): boolean {
  return /^\.(tsx|jsx|js|mjs|cjs)$/i.test(path.extname(file));
}

/**
 * Whether offset `pos` is in JSX children: in an element's or fragment's text or between its
 * children, not inside a `{...}` container's expression, a tag or an attribute.
 */
export function isInJsxChildren(sf: ts.SourceFile, pos: number): boolean {
  // The innermost node that holds `pos` strictly inside its range (JSX children have no trivia:
  // a child starting at `pos` does not hold it, its parent does).
  let node: ts.Node = sf;
  for (;;) {
    let next: ts.Node | undefined;
    ts.forEachChild(node, (c) => {
      if (c.pos < pos && pos < c.end) {
        next = c;
        return true;
      }
      return undefined;
    });
    if (!next) break;
    node = next;
  }
  if (ts.isJsxText(node)) return true;
  if (ts.isJsxElement(node)) return node.openingElement.end <= pos && pos <= node.closingElement.pos;
  if (ts.isJsxFragment(node)) return node.openingFragment.end <= pos && pos <= node.closingFragment.pos;
  return false;
}
