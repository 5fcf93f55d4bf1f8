// The language-neutral model every rule, language backend and front door shares.
// Offsets are UTF-16 code units into the document text (JavaScript string indices), which is
// also what LSP positions count by default. Lines and characters are 0-based.

export type Language = 'typescript' | 'python';

/** Severity as configured. `off` disables a rule. */
export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeverityOrOff = Severity | 'off';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Replace text[start, end) with newText. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** Safe fixes keep behaviour and are applied by `--fix` and fix-all; others are suggestions. */
  safe: boolean;
  /**
   * Offered one at a time in the editor, never applied in bulk, not even by `--unsafe-fixes`: it
   * states an intent only the author can (`void p` says "dropped on purpose"), so applied to every
   * finding it would silence them without fixing one.
   */
  individualOnly?: boolean;
}

/** What a rule reports: a place, a message, and its fixes. The engine adds severity and range. */
export interface Report {
  start: number;
  end: number;
  message: string;
  fixes?: Fix[];
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  /** Offsets of the anchor in the document text. */
  start: number;
  end: number;
  range: Range;
  fixes: Fix[];
}

/** A comment in a source file, for suppression directives. */
export interface Comment {
  start: number;
  end: number;
  text: string;
}

/** A syntax error the parser reported, kept so fixes can be checked not to add new ones. */
export interface SyntaxProblem {
  start: number;
  end: number;
  message: string;
}

/** Why a file was not analysed. */
export interface Skip {
  /**
   * `too-deep`: nesting beyond what a recursive parser (TypeScript's) can take without running out
   * of stack, or deeper than the TypeScript checker handles in reasonable time (long operator
   * chains). `syntax-errors`: more syntax errors than any real file has (TypeScript's binder can
   * take seconds and gigabytes on such a text). `out-of-memory`: the parser's WebAssembly memory
   * (2 GB, tree-sitter) ran out; the parser is reloaded for the next file. `time-budget`: the rules
   * took longer than the server's per-file budget.
   */
  reason:
    | 'too-large'
    | 'binary'
    | 'too-deep'
    | 'syntax-errors'
    | 'unreadable'
    | 'time-budget'
    | 'out-of-memory'
    | 'internal-error';
  message: string;
}

/** A rule that threw: reported once, the other rules still run. */
export interface RuleFailure {
  ruleId: string;
  error: string;
}

export interface LintResult {
  path: string;
  language: Language;
  findings: Finding[];
  syntaxErrors: SyntaxProblem[];
  skipped?: Skip;
  ruleFailures: RuleFailure[];
  /**
   * Problems of the file's async-lint directives: unknown rule ids (always reported) and directives
   * that suppressed nothing (reported by the CLI with --report-unused-disable-directives).
   */
  directiveProblems?: { kind: 'unknown-rule' | 'unused'; message: string; start: number; end: number; range: Range }[];
  /** Milliseconds by phase ("parse", "program", "checker", "rule:<id>") when stats were requested. */
  timings?: Record<string, number>;
}
