// Text helpers for building fixes in TypeScript/JavaScript files: the file's indentation step,
// the comments a replacement must carry over, parentheses an expression needs in its new place,
// and the semicolon a statement starting with `[` or `(` needs when the file leaves them out.
import ts from 'typescript';

/** The file's indentation step: a tab, or the smallest indent of a code line (2 spaces if none). */
export function indentUnit(sf: ts.SourceFile): string {
  const text = sf.text;
  let min = Infinity;
  let start = 0;
  for (let lines = 0; lines < 2000 && start < text.length; lines++) {
    let i = start;
    while (text[i] === ' ') i++;
    if (i === start && text[i] === '\t') return '\t';
    const c = text[i];
    // `*` continues a block comment, which sits one space in.
    if (i > start && c !== undefined && c !== '\n' && c !== '\r' && c !== '*') min = Math.min(min, i - start);
    const nl = text.indexOf('\n', i);
    if (nl < 0) break;
    start = nl + 1;
  }
  return ' '.repeat(Number.isFinite(min) ? min : 2);
}

/** The leading whitespace of the line holding `pos`. */
export function lineIndent(sf: ts.SourceFile, pos: number): string {
  const text = sf.text;
  let start = pos;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  let end = start;
  while (text[end] === ' ' || text[end] === '\t') end++;
  return text.slice(start, end);
}

/** The 0-based line of `pos`. */
export function lineOf(sf: ts.SourceFile, pos: number): number {
  return sf.getLineAndCharacterOfPosition(pos).line;
}

/** The comments inside `node` (between its tokens), in source order. */
export function commentsWithin(sf: ts.SourceFile, node: ts.Node): ts.CommentRange[] {
  const start = node.getStart(sf);
  const seen = new Set<number>();
  const out: ts.CommentRange[] = [];
  const stack: ts.Node[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    const kids = n.getChildren(sf);
    if (kids.length === 0) {
      if (n.kind === ts.SyntaxKind.JsxText) continue;
      for (const r of commentsAfter(sf, n.pos)) {
        if (r.pos >= start && r.end <= node.end && !seen.has(r.pos)) {
          seen.add(r.pos);
          out.push(r);
        }
      }
      continue;
    }
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
  return out.sort((a, b) => a.pos - b.pos);
}

/** The comments between `from` (an offset after a token) and the next token: those on its line too. */
export function commentsAfter(sf: ts.SourceFile, from: number): ts.CommentRange[] {
  const sameLine = ts.getTrailingCommentRanges(sf.text, from) ?? [];
  const later = (ts.getLeadingCommentRanges(sf.text, from) ?? []).filter((r) => !sameLine.some((s) => s.pos === r.pos));
  return [...sameLine, ...later];
}

/**
 * Adds `extra` to the indentation of every line of `text` after the first. Text holding a
 * template literal is left as it is: its lines are part of a string value.
 */
export function reindent(text: string, extra: string): string {
  if (!/[\r\n]/.test(text) || text.includes('`')) return text;
  return text.replace(/(\r\n|\r|\n)(?=[^\r\n])/g, `$1${extra}`);
}

/** The statement right before `statement` in its block, source file or case clause, if any. */
export function statementBefore(statement: ts.Statement): ts.Statement | undefined {
  const list = (statement.parent as { statements?: ts.NodeArray<ts.Statement> }).statements;
  const index = list ? list.indexOf(statement) : -1;
  return index > 0 ? list![index - 1] : undefined;
}

/**
 * True when a statement that starts with `[` or `(` and replaces `statement` would be read as
 * part of the statement before it (`f()\n[a, b] = ...` is `f()[a, b] = ...`).
 */
export function needsSemicolonGuard(sf: ts.SourceFile, statement: ts.Statement): boolean {
  const last = statementBefore(statement)?.getLastToken(sf);
  if (!last) return false;
  if (last.kind === ts.SyntaxKind.SemicolonToken) return false;
  if (last.kind === ts.SyntaxKind.CloseBraceToken) {
    // A brace that closes a block, class or function body ends the statement; one that closes an
    // object literal does not.
    const p = last.parent;
    return !(
      ts.isBlock(p) ||
      ts.isClassLike(p) ||
      ts.isModuleBlock(p) ||
      ts.isCaseBlock(p) ||
      ts.isEnumDeclaration(p) ||
      ts.isInterfaceDeclaration(p)
    );
  }
  return true;
}

/** Whether a statement's own text ends with a semicolon (the file's style, as far as one statement tells). */
export function endsWithSemicolon(sf: ts.SourceFile, statement: ts.Statement): boolean {
  return statement.getLastToken(sf)?.kind === ts.SyntaxKind.SemicolonToken;
}

/** `expr`'s text, parenthesized unless it can be the operand of a unary operator (`await`, `...`). */
export function asUnaryOperand(sf: ts.SourceFile, expr: ts.Expression): string {
  const text = expr.getText(sf);
  return canBeUnaryOperand(expr) ? text : `(${text})`;
}

/** `expr`'s text, parenthesized unless a property access can follow it (`xs.map`). */
export function asReceiver(sf: ts.SourceFile, expr: ts.Expression): string {
  const text = expr.getText(sf);
  return isMemberLevel(expr) ? text : `(${text})`;
}

function isMemberLevel(e: ts.Expression): boolean {
  return (
    ts.isIdentifier(e) ||
    ts.isPropertyAccessExpression(e) ||
    ts.isElementAccessExpression(e) ||
    ts.isCallExpression(e) ||
    ts.isParenthesizedExpression(e) ||
    ts.isArrayLiteralExpression(e) ||
    ts.isObjectLiteralExpression(e) ||
    ts.isStringLiteralLike(e) ||
    ts.isTaggedTemplateExpression(e) ||
    ts.isTemplateExpression(e) ||
    ts.isNonNullExpression(e) ||
    e.kind === ts.SyntaxKind.ThisKeyword ||
    e.kind === ts.SyntaxKind.SuperKeyword
  );
}

/** Whether `e` can follow a unary operator (`await`, `void`, `...`) without parentheses: `void a ? b : c` is `(void a) ? b : c`. */
export function canBeUnaryOperand(e: ts.Expression): boolean {
  return (
    isMemberLevel(e) ||
    ts.isNewExpression(e) ||
    ts.isAwaitExpression(e) ||
    ts.isPrefixUnaryExpression(e) ||
    ts.isPostfixUnaryExpression(e) ||
    ts.isTypeOfExpression(e) ||
    ts.isVoidExpression(e) ||
    ts.isDeleteExpression(e) ||
    ts.isTypeAssertionExpression(e) ||
    ts.isNumericLiteral(e) ||
    e.kind === ts.SyntaxKind.TrueKeyword ||
    e.kind === ts.SyntaxKind.FalseKeyword ||
    e.kind === ts.SyntaxKind.NullKeyword
  );
}
