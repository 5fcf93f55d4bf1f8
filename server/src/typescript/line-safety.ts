// Where a suppression comment may be written in a TypeScript/JavaScript text (engine/directive-edit.ts):
// not inside a string, template or regular expression literal that spans lines (a line there is
// part of the value), not after code that ends in JSX text (a `//` there renders), and in JSX
// children only in the `{/* ... */}` form.
import ts from 'typescript';
import type { LineSafety } from '../engine/directive-edit';
import { lineEndWithoutEol } from '../engine/directive-edit';
import { LineIndex } from '../engine/text';
import { parseCodeOnly } from './backend';
import { isInJsxChildren, mayHoldJsx } from './jsx';
import { recoverFromParserOverflow } from './utils';

/** The text is parsed when first asked about, and its multi-line literals listed when first needed. */
export function tsLineSafety(file: string, text: string, lines = new LineIndex(text)): LineSafety {
  let parsed: ts.SourceFile | undefined;
  const sourceFile = () => {
    try {
      return (parsed ??= parseCodeOnly(file, text));
    } catch (e) {
      recoverFromParserOverflow(e);
      throw e;
    }
  };
  let literals: Array<[number, number]> | undefined;
  const inside = (pos: number) =>
    (literals ??= multiLineSpans(sourceFile(), text)).some(([s, e]) => s < pos && pos < e);
  const jsxAt = (pos: number) => mayHoldJsx(file) && isInJsxChildren(sourceFile(), pos);
  return {
    canInsertBefore: (line) => !inside(lines.lineStarts[line]),
    canAppendTo: (line) => {
      const end = lineEndWithoutEol(lines, line);
      return !inside(end) && !jsxAt(end) && !lineEndsInside(text, end);
    },
    inJsxChildren: (line) => jsxAt(lines.lineStarts[line]),
  };
}

/** Literals and comments that span lines, as [start, end) offsets in order. */
function multiLineSpans(sf: ts.SourceFile, text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  const visit = (node: ts.Node): void => {
    switch (node.kind) {
      case ts.SyntaxKind.StringLiteral:
      case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
      case ts.SyntaxKind.TemplateHead:
      case ts.SyntaxKind.TemplateMiddle:
      case ts.SyntaxKind.TemplateTail:
      case ts.SyntaxKind.RegularExpressionLiteral: {
        const start = node.getStart(sf);
        if (text.slice(start, node.end).search(/[\r\n]/) >= 0) spans.push([start, node.end]);
        return;
      }
    }
    // Block comments that span lines, in the trivia before a node (a line inside one is comment
    // text: a directive there would apply to the line after the comment).
    for (const c of ts.getLeadingCommentRanges(text, node.pos) ?? []) {
      if (c.kind === ts.SyntaxKind.MultiLineCommentTrivia && /[\r\n]/.test(text.slice(c.pos, c.end)))
        spans.push([c.pos, c.end]);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  spans.sort((a, b) => a[0] - b[0]);
  return spans;
}

/** A line ending in a backslash continues a string: a comment after it would be string text. */
function lineEndsInside(text: string, end: number): boolean {
  return end > 0 && text[end - 1] === '\\';
}
