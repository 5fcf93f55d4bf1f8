// The async-lint command: parse arguments, find the files, lint them (engine/lint-files.ts, as Lint
// Workspace does: one read per file, one program per project, every backend told all its files
// before the first analysis), apply safe fixes with --fix, print a report. server/src/cli.ts is the
// entry point that calls run() and sets the exit code.
// Exit codes: 0 no findings at error/warning, 1 findings at error/warning (or more warnings than
// --max-warnings allows; 0 with --exit-zero), 2 usage, configuration or internal error.
// `async-lint rule ID` prints a rule's page (docs/rules/ID.md, shipped beside dist/).
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { version } from '../../../package.json';
import { ConfigResolver, parseRuleSetting, type ResolvedConfig } from '../engine/config';
import { digest } from '../engine/digest';
import type { LanguageBackend, Linter } from '../engine/linter';
import { RULES, RULE_IDS, unknownRuleMessage } from '../engine/rules';
import { applyTextEdits, planDirectives, type DirectivePlan, type LineSafety } from '../engine/directive-edit';
import { LineIndex } from '../engine/text';
import type { Finding, LintResult, Severity, SeverityOrOff } from '../engine/types';
import { nearestRule } from '../engine/suppress';
import { ruleDocsDir } from '../engine/rule-docs';
import { lintFiles, type RunFile } from '../engine/lint-files';
import { encode } from '../engine/source-file';
import { readRegularFile, walk } from '../engine/walk';
import { countAll, displayPath, FORMAT_NAMES, FORMATTERS, type FileReport } from '../formatters';
import { ALL_EXTENSIONS } from '../language-facts';
import { createLinter, type TypeBackendChoice } from '../languages';
import { typeScript7Available } from '../typescript/ts7-available';
import { buildId, cacheable, cacheFilePath, configDigest, LintCache, toCached, type CachedResult } from './cache';
import { unifiedDiff } from './diff';
import { mergeSarif, readSarifInputs } from './merge-sarif';
import { dealShards, parseShard, type Shard, typeScriptUnit } from './shard';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

/** More files than this on a terminal: show progress on stderr. */
const PROGRESS_THRESHOLD = 300;

const OPTIONS = {
  format: { type: 'string', short: 'f', default: 'stylish' },
  'output-file': { type: 'string', short: 'o' },
  fix: { type: 'boolean', default: false },
  'fix-dry-run': { type: 'boolean', default: false },
  diff: { type: 'boolean', default: false },
  'unsafe-fixes': { type: 'boolean', default: false },
  'add-noqa': { type: 'boolean', default: false },
  'add-noqa-reason': { type: 'string' },
  stdin: { type: 'boolean', default: false },
  'stdin-filename': { type: 'string' },
  rule: { type: 'string', multiple: true, default: [] as string[] },
  config: { type: 'string', short: 'c' },
  'max-warnings': { type: 'string' },
  quiet: { type: 'boolean', short: 'q', default: false },
  stats: { type: 'boolean', default: false },
  statistics: { type: 'boolean', default: false },
  'exit-zero': { type: 'boolean', default: false },
  shard: { type: 'string' },
  'include-hints': { type: 'boolean', default: false },
  'report-unused-disable-directives': { type: 'boolean', default: false },
  'ignore-pattern': { type: 'string', multiple: true, default: [] as string[] },
  'print-config': { type: 'string' },
  'type-backend': { type: 'string' },
  cache: { type: 'boolean', default: false },
  'cache-location': { type: 'string' },
  version: { type: 'boolean', short: 'v', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function helpText(): string {
  const width = Math.max(...RULES.map((r) => r.id.length));
  const rules = RULES.map((r) => `  ${r.id.padEnd(width)}  ${r.description}`).join('\n');
  return `async-lint ${version}: finds async mistakes in TypeScript, JavaScript and Python asyncio.

Usage: async-lint [options] [paths...]
       async-lint rule ID    Print a rule's documentation

Paths are files or folders (default: the current folder). Folders are searched for
${ALL_EXTENSIONS.join(' ')} files, skipping node_modules, build output and
whatever .gitignore files ignore.

Options:
  -f, --format NAME          Output format: ${FORMAT_NAMES.join(', ')} (default: stylish)
  -o, --output-file FILE     Write the report to FILE instead of standard output
      --fix                  Apply safe fixes to the files (fixes that cannot change behaviour)
      --fix-dry-run          Compute the fixes --fix would apply, write nothing; report what
                             would be left (json: each changed file's fixed text as 'output')
      --diff                 Print a unified diff of what --fix would change, write nothing
                             (exit 1 when there is a change)
      --unsafe-fixes         With --fix, --fix-dry-run or --diff, also apply suggestions, which
                             can change behaviour (adding await, switching to an async API); never 'void'
      --add-noqa             Write a suppression directive for every finding reported now
                             (async-lint-disable-next-line RULE above its line), so that the next
                             run reports only new findings; prints how many were added; exit 0
      --add-noqa-reason TEXT With --add-noqa, end each directive with ' -- TEXT'
      --stdin                Lint the text on standard input (needs --stdin-filename); with --fix,
                             print the fixed text to standard output and the report to stderr
      --stdin-filename PATH  The file the standard input stands for (language, configuration)
      --rule ID=SEVERITY     Set a rule's severity: off, hint, info, warning (or warn), error, or
                             ESLint's 0 (off), 1 (warning), 2 (error) (repeatable)
      --include-hints        Report hint findings too (left out of the CLI's output by default)
      --report-unused-disable-directives
                             Report async-lint directives that suppressed nothing, as warnings
      --statistics           Print the number of findings per rule instead of the findings
      --exit-zero            Exit 0 even when there are findings (2 still means an error)
  -c, --config FILE          Use this configuration file for every path instead of searching
                             for async-lint.json / package.json / pyproject.toml
      --max-warnings N       Tolerate up to N warnings before exiting 1 (default: 0; -1: any number)
  -q, --quiet                Report errors only
      --stats                Print time per phase and per rule to stderr (findings per rule: --statistics)
      --ignore-pattern GLOB  Do not lint files matching GLOB, relative to the current folder (repeatable)
      --type-backend NAME    Which compiler answers the type questions of TypeScript/JavaScript
                             rules: typescript6 (in process), typescript7 (the native compiler,
                             when installed) or auto (default: $${TYPE_BACKEND_ENV}, else ${DEFAULT_TYPE_BACKEND})
      --print-config FILE    Print the configuration that applies to FILE as JSON (its source,
                             each rule's severity, the overrides that matched) and exit
      --cache                Reuse the results of files whose text, configuration and the files
                             their analysis read are unchanged since the last run with --cache
      --cache-location PATH  The cache file, or a folder for it (default: .async-lint-cache in the
                             current folder)
      --shard I/N            Lint the I-th of N parts of the files (a CI matrix; a TypeScript
                             project stays in one part); \`async-lint merge-sarif\` joins SARIF logs
  -v, --version              Print the version
  -h, --help                 Print this help

Exit codes: 0 no errors or warnings, 1 errors or warnings found (info and hint never fail a
run), 2 usage, configuration or internal error.
Suppress a finding with a comment: async-lint-disable-next-line RULE, async-lint-disable-line RULE,
async-lint-disable-file RULE; an unknown RULE in one is reported as a warning.

Rules:
${rules}
`;
}

/** The part of a process stream the CLI writes to. */
export interface OutStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Io {
  stdout: OutStream;
  stderr: OutStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** All of standard input, for --stdin. */
  readStdin?: () => Promise<string>;
}

/** A mistake in the command line: exit 2 with the message and a pointer to --help. */
export class UsageError extends Error {}

function wantsColor(io: Io): boolean {
  const force = io.env.FORCE_COLOR;
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return true;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  return io.stdout.isTTY === true;
}

// ---- writing files (reading and decoding them: engine/source-file.ts) ---------------------------

/** Writes through a temporary file in the same folder and a rename, keeping the file's mode. */
function writeAtomically(file: string, data: Buffer): void {
  const target = fs.realpathSync(file);
  const mode = fs.statSync(target).mode & 0o7777;
  const tmp = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${process.pid}.${Date.now().toString(36)}.async-lint.tmp`,
  );
  fs.writeFileSync(tmp, data, { mode });
  try {
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** A file of the run (engine/lint-files.ts), with its report. */
interface SourceFile extends RunFile {
  report: FileReport;
  /** With --cache: the digests of the text and the configuration. */
  digests?: { text: string; config: string };
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}

// ---- the run -----------------------------------------------------------------------------------

interface Stats {
  phases: Map<string, number>;
  add(phase: string, ms: number): void;
}

function newStats(): Stats {
  const phases = new Map<string, number>();
  return { phases, add: (phase, ms) => phases.set(phase, (phases.get(phase) ?? 0) + ms) };
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Order in the --stats table: the CLI's phases, the backends' phases, then rules by time. */
const PHASE_ORDER = [
  'find files',
  'config',
  'read',
  'prepare',
  'parse',
  'program',
  'checker',
  'types',
  'walk',
  'fix',
  'format',
];

function statsTable(stats: Stats, files: number, wallMs: number, cached: number | undefined): string {
  const known = PHASE_ORDER.filter((p) => stats.phases.has(p));
  const rules = [...stats.phases.keys()]
    .filter((p) => p.startsWith('rule:'))
    .sort((a, b) => stats.phases.get(b)! - stats.phases.get(a)!);
  const other = [...stats.phases.keys()].filter((p) => !PHASE_ORDER.includes(p) && !p.startsWith('rule:')).sort();
  const rows = [...known, ...other, ...rules].map((p) => {
    const ms = stats.phases.get(p)!;
    return [p, ms.toFixed(1), wallMs > 0 ? `${((100 * ms) / wallMs).toFixed(1)}%` : '-'];
  });
  const header = ['phase', 'ms', 'share'];
  const w0 = Math.max(header[0].length, ...rows.map((r) => r[0].length));
  const w1 = Math.max(header[1].length, ...rows.map((r) => r[1].length));
  const w2 = Math.max(header[2].length, ...rows.map((r) => r[2].length));
  const line = (r: string[]) => `${r[0].padEnd(w0)}  ${r[1].padStart(w1)}  ${r[2].padStart(w2)}`;
  return [
    line(header),
    ...rows.map(line),
    `files: ${files}  wall: ${wallMs.toFixed(1)} ms${files > 0 ? `  (${(wallMs / files).toFixed(2)} ms/file)` : ''}  cpu: ${cpuMs().toFixed(0)} ms (this process)`,
    ...(cached !== undefined ? [`cached: ${cached} file${cached === 1 ? '' : 's'}`] : []),
    '',
  ].join('\n');
}

export class Progress {
  private last = 0;
  private shown = false;

  constructor(
    private readonly stream: OutStream,
    private readonly total: number,
    private readonly cwd: string,
    readonly enabled: boolean,
  ) {}

  update(done: number, file: string): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 100) return;
    this.last = now;
    const text = `async-lint: ${done}/${this.total} ${displayPath(file, this.cwd)}`;
    // A terminal that reports no width (or 0) gets 80; cut by code points, never inside a character.
    const cols = this.stream.columns && this.stream.columns > 0 ? this.stream.columns : 80;
    const chars = Array.from(text);
    this.stream.write(`\r\u001b[K${chars.length >= cols ? chars.slice(0, cols - 1).join('') : text}`);
    this.shown = true;
  }

  done(): void {
    if (this.shown) this.stream.write('\r\u001b[K');
  }
}

/** The environment variable that chooses the type backend when --type-backend is not given. */
export const TYPE_BACKEND_ENV = 'ASYNC_LINT_TYPE_BACKEND';
/**
 * The type backend without --type-backend or ASYNC_LINT_TYPE_BACKEND. TypeScript 7 finds the same
 * (every fixture, the real projects of docs/real-world.md) with a third to a half less CPU, and is
 * faster on got and node-redis, but on an idle machine not reliably on typeorm (README, Type
 * backends): `auto` stays a choice, not the default, until it is.
 */
export const DEFAULT_TYPE_BACKEND: TypeBackendChoice = 'typescript6';
const TYPE_BACKENDS: readonly TypeBackendChoice[] = ['typescript6', 'typescript7', 'auto'];

/** --type-backend, else the environment variable, else the default. */
function typeBackendChoice(flag: string | undefined, env: NodeJS.ProcessEnv): TypeBackendChoice {
  const fromEnv =
    env[TYPE_BACKEND_ENV] !== undefined && env[TYPE_BACKEND_ENV] !== '' ? env[TYPE_BACKEND_ENV] : undefined;
  const value = flag ?? fromEnv ?? DEFAULT_TYPE_BACKEND;
  if (!(TYPE_BACKENDS as readonly string[]).includes(value)) {
    throw new UsageError(
      `${flag !== undefined ? '--type-backend' : TYPE_BACKEND_ENV} must be one of ${TYPE_BACKENDS.join(', ')}, got '${value}'`,
    );
  }
  return value as TypeBackendChoice;
}

/** `--max-warnings -1`: parseArgs would read `-1` as an option, so join it to its flag. */
function joinNegativeNumbers(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--max-warnings' && /^-\d+$/.test(argv[i + 1] ?? '')) {
      out.push(`--max-warnings=${argv[++i]}`);
    } else {
      out.push(argv[i]);
    }
  }
  return out;
}

export interface RunOptions {
  /** The linter to use; the real backends by default. */
  createLinter?: () => Linter;
}

/** `async-lint rule ID`: the rule's page, offline. */
function ruleCommand(args: readonly string[], io: Io): number {
  if (args.length !== 1 || args[0].startsWith('-'))
    throw new UsageError(`'rule' expects one rule id: async-lint rule ID; valid rules: ${RULE_IDS.join(', ')}`);
  const id = args[0];
  if (!RULE_IDS.includes(id)) {
    const near = nearestRule(id, RULE_IDS);
    throw new UsageError(
      near
        ? `unknown rule '${id}'; did you mean '${near}'? valid rules: ${RULE_IDS.join(', ')}`
        : unknownRuleMessage(id),
    );
  }
  const docs = ruleDocsDir();
  const page = docs && readRegularFile(path.join(docs, `${id}.md`));
  if (page === undefined)
    throw new Error(
      `the documentation of '${id}' is missing from this installation (docs/rules/${id}.md beside dist/)`,
    );
  io.stdout.write(page.endsWith('\n') ? page : `${page}\n`);
  return EXIT_OK;
}

/** `async-lint merge-sarif FILE...`: the parts' SARIF logs of a --shard matrix as one (cli/merge-sarif.ts). */
function mergeSarifCommand(args: readonly string[], io: Io): number {
  if (args.length === 0 || args.some((a) => a.startsWith('-')))
    throw new UsageError("'merge-sarif' expects the SARIF files of the parts: async-lint merge-sarif FILE...");
  let merged: string;
  try {
    merged = mergeSarif(readSarifInputs(args.map((a) => path.resolve(io.cwd, a))));
  } catch (e) {
    io.stderr.write(`async-lint merge-sarif: ${(e as Error).message}\n`);
    return EXIT_ERROR;
  }
  io.stdout.write(`${merged}\n`);
  return EXIT_OK;
}

export async function run(argv: readonly string[], io: Io, options: RunOptions = {}): Promise<number> {
  const wall0 = performance.now();
  // A subcommand, as the first word (lint a folder named `rule` as ./rule).
  if (argv[0] === 'rule') return ruleCommand(argv.slice(1), io);
  if (argv[0] === 'merge-sarif') return mergeSarifCommand(argv.slice(1), io);
  let args: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
  try {
    args = parseArgs({ args: joinNegativeNumbers(argv), options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values } = args;
  if (values.help) {
    io.stdout.write(helpText());
    return EXIT_OK;
  }
  if (values.version) {
    io.stdout.write(`${version}\n`);
    return EXIT_OK;
  }

  const format = FORMATTERS[values.format];
  const dryRun = values['fix-dry-run'] || values.diff;
  const fixing = values.fix || dryRun;
  if (values['unsafe-fixes'] && !fixing)
    throw new UsageError('--unsafe-fixes only takes effect with --fix: use --fix --unsafe-fixes');
  if (values.stdin && values['stdin-filename'] === undefined)
    throw new UsageError(
      '--stdin needs --stdin-filename PATH: the file the text stands for (its language and configuration)',
    );
  if (!values.stdin && values['stdin-filename'] !== undefined)
    throw new UsageError('--stdin-filename only takes effect with --stdin');
  if (values.stdin && args.positionals.length > 0) throw new UsageError('--stdin lints standard input: give no paths');
  let shard: Shard | undefined;
  if (values.shard !== undefined) {
    if (values.stdin) throw new UsageError('--shard splits the files of a run: it cannot be combined with --stdin');
    try {
      shard = parseShard(values.shard);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  const addNoqa = values['add-noqa'];
  if (addNoqa && (fixing || values.stdin))
    throw new UsageError(
      '--add-noqa writes directives into the files: it cannot be combined with --fix, --fix-dry-run, --diff or --stdin',
    );
  if (values['add-noqa-reason'] !== undefined && !addNoqa)
    throw new UsageError('--add-noqa-reason only takes effect with --add-noqa');
  if (values['add-noqa-reason'] !== undefined && /[\r\n]|\*\//.test(values['add-noqa-reason']))
    throw new UsageError('--add-noqa-reason must be one line without */');
  if (values.diff && values.statistics) throw new UsageError('--diff and --statistics cannot be combined');
  if (values['cache-location'] !== undefined && !values.cache)
    throw new UsageError('--cache-location only takes effect with --cache');
  if (!Object.hasOwn(FORMATTERS, values.format))
    throw new UsageError(`unknown format '${values.format}'; use one of ${FORMAT_NAMES.join(', ')}`);
  let maxWarnings: number | undefined;
  if (values['max-warnings'] !== undefined) {
    const raw = values['max-warnings'].trim();
    if (!/^-?\d+$/.test(raw) || Number(raw) < -1)
      throw new UsageError(`--max-warnings expects a whole number >= -1, got '${values['max-warnings']}'`);
    maxWarnings = Number(raw);
  }
  const ruleOverrides: Record<string, SeverityOrOff> = {};
  for (const setting of values.rule) {
    let parsed: [string, SeverityOrOff];
    try {
      parsed = parseRuleSetting(setting);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    ruleOverrides[parsed[0]] = parsed[1];
  }

  const cwd = io.cwd;
  const stats = values.stats ? newStats() : undefined;
  const timed = <T>(phase: string, fn: () => T): T => {
    if (!stats) return fn();
    const t0 = performance.now();
    try {
      return fn();
    } finally {
      stats.add(phase, performance.now() - t0);
    }
  };

  const configFs = { readFile: readRegularFile };
  const resolver = timed(
    'config',
    () =>
      new ConfigResolver(configFs, {
        explicitFile: values.config && path.resolve(cwd, values.config),
        ruleOverrides,
        defaultRoot: (dir) => lintRootOf(cwd, dir),
      }),
  );
  if (values['print-config'] !== undefined) {
    io.stdout.write(
      `${JSON.stringify(describeConfig(resolver, path.resolve(cwd, values['print-config'])), null, 2)}\n`,
    );
    return EXIT_OK;
  }
  const typeBackend = typeBackendChoice(values['type-backend'], io.env);
  if (typeBackend === 'typescript7' && !options.createLinter) {
    const available = typeScript7Available();
    if (!available.ok) throw new UsageError(`the typescript7 type backend is not available: ${available.reason}`);
  }
  const linter: Linter = options.createLinter ? options.createLinter() : createLinter({ typeBackend });

  // 1. Find the files (with --stdin, the one file it stands for).
  const stdinFile = values.stdin ? path.resolve(cwd, values['stdin-filename']!) : undefined;
  if (stdinFile && !linter.supports(stdinFile))
    throw new UsageError(
      `--stdin-filename ${values['stdin-filename']}: not a file async-lint lints (use a ${linter.backends.flatMap((b) => b.extensions).join(' ')} name)`,
    );
  const stdinText = stdinFile ? await (io.readStdin ?? readProcessStdin)() : undefined;
  const found = stdinFile
    ? { files: [stdinFile], issues: [] as ReturnType<typeof walk>['issues'] }
    : timed('find files', () =>
        walk(args.positionals, {
          cwd,
          supports: (f) => linter.supports(f),
          ignorePatterns: values['ignore-pattern'],
          configIgnores: (dir) => {
            const config = resolver.forDir(dir);
            return {
              baseDir: config.baseDir ?? cwd,
              patterns: config.ignorePatterns,
              source: config.source && displayPath(config.source, cwd),
            };
          },
        }),
      );
  const missing = found.issues.filter((i) => i.kind === 'not-found');
  if (missing.length > 0) throw new UsageError(missing.map((i) => i.message).join('\n'));

  // --shard: this part's files; the files of the other parts that a backend must still be told.
  const outside = new Map<LanguageBackend, string[]>();
  if (shard) found.files = timed('find files', () => takeShard(found.files, shard, linter, cwd, outside));

  const reports: FileReport[] = [];
  // Problems of the walk are reported once, by the first part.
  for (const issue of shard && shard.index !== 1 ? [] : found.issues)
    reports.push({ path: issue.path, findings: [], notices: [{ level: 'warning', message: issue.message }] });

  // 2. Each file with its configuration, its backend and its report, in the walk's order.
  const files: SourceFile[] = found.files.map((file) => {
    const config = timed('config', () => resolver.forFile(file));
    const report: FileReport = { path: file, findings: [], notices: [] };
    reports.push(report);
    return { path: file, config, backend: linter.backendFor(file)!, report };
  });

  // Rules whose every finding `reported` would drop are not run, unless something else reads
  // their findings: fixes (--fix applies them whatever their severity), unused-directive reports
  // (a directive is used by a finding it suppresses) and --add-noqa.
  const unreported = new Set<Severity>();
  if (!addNoqa && !values['report-unused-disable-directives']) {
    if (!values['include-hints']) unreported.add('hint');
    if (values.quiet) for (const s of ['info', 'warning'] as const) unreported.add(s);
  }
  // --cache (cli/cache.ts): not for --stdin (no file on disk) nor --add-noqa (it rewrites the files).
  const cache =
    values.cache && !stdinFile && !addNoqa
      ? timed('cache', () => LintCache.load(cacheFilePath(cwd, values['cache-location']), buildId()))
      : undefined;
  /** The backends recording for the cache, by language. */
  const recording = new Map<string, LanguageBackend>();
  /** Results reused from the cache: the file's text, configuration and dependencies are unchanged. */
  const hits = new Map<SourceFile, LintResult>();

  let progress: Progress | undefined;
  const loggedFailures = new Set<string>();
  const logOnce = (key: string, text: string) => {
    if (loggedFailures.has(key)) return;
    loggedFailures.add(key);
    io.stderr.write(`async-lint: ${text}\n`);
  };
  let fixesApplied = 0;
  let filesFixed = 0;
  /** --diff: the diff of each file --fix would change. */
  const diffs: string[] = [];
  /** --stdin --fix: the text to print. */
  let stdinOutput: string | undefined;
  /** --add-noqa: what it did. */
  const noqa: NoqaTally = { directives: 0, files: 0, unsuppressible: [], syntaxErrorFiles: [], unwritable: [] };
  const reported = (f: Finding) =>
    (values['include-hints'] || f.severity !== 'hint') && (!values.quiet || f.severity === 'error');
  /** Findings left after --fix that have fixes, none of them safe. */
  let suggestions = 0;
  /** Whether a fix changed a text the backends analysed (then the cache is not written). */
  let textsChanged = false;
  /** Results taken from the cache. */
  let fromCache = 0;

  /** One file's result: from the cache, after --fix's passes, or linted (and given directives by --add-noqa). */
  const lintOne = (s: SourceFile): LintResult => {
    let result: LintResult;
    // Once a fix changed a text, the files linted after it see the fixed text (in the program,
    // in the module index), as they would without the cache: no result from before it is used.
    const hit = textsChanged ? undefined : hits.get(s);
    if (hit) {
      result = hit;
      fromCache++;
    } else if (fixing) {
      const fixed = timed('fix', () => linter.fix(s.path, s.text!, s.config, { unsafe: values['unsafe-fixes'] }));
      if (fixed.applied > 0) textsChanged = true;
      result = fixed.result;
      if (stdinFile && values.fix && !dryRun) stdinOutput = fixed.text;
      if (fixed.applied > 0 && fixed.text !== s.text && (dryRun || stdinFile)) {
        // Nothing is written: the report is about the fixed text, which json carries as `output`.
        s.report.fixesApplied = fixed.applied;
        fixesApplied += fixed.applied;
        filesFixed++;
        // The file's bytes start with its BOM: so does the diff, or it would not apply.
        const bom = s.encoding === 'utf8-bom' ? '\ufeff' : '';
        if (values.diff) diffs.push(unifiedDiff(bom + s.text!, bom + fixed.text, displayPath(s.path, cwd)));
        else s.report.output = fixed.text;
        s.text = fixed.text;
      } else if (fixed.applied > 0 && fixed.text !== s.text) {
        const bytes = encode(fixed.text, s.encoding!);
        try {
          if (!bytes) throw new Error(`the fixed text has characters ${s.encoding} cannot encode`);
          writeAtomically(s.path, bytes);
          s.report.fixesApplied = fixed.applied;
          fixesApplied += fixed.applied;
          filesFixed++;
          s.text = fixed.text;
        } catch (e) {
          s.report.notices.push({ level: 'error', message: `could not write fixes: ${(e as Error).message}` });
          // Report on the file as it still is on disk.
          result = linter.lint(s.path, s.text!, s.config);
        }
      }
    } else {
      result = linter.lint(s.path, s.text!, s.config, { timings: stats !== undefined, unreported });
      if (addNoqa)
        result = timed('add-noqa', () =>
          addDirectives(linter, s, result, reported, values['add-noqa-reason'], noqa, cwd),
        );
    }
    if (cache && !hit && !textsChanged) timed('cache', () => remember(cache, s, result));
    return result;
  };

  // 3. Read each file once, tell each backend all its files, then lint them (engine/lint-files.ts).
  // With --cache, only the files the cache cannot answer are parsed ahead, once they are known.
  await lintFiles(files, {
    readAhead: true,
    prepareTexts: !cache,
    alsoPrepare: (backend) => outside.get(backend),
    textOf: stdinText === undefined ? undefined : () => stdinText,
    skipped: (s, message) => s.report.notices.push({ level: 'warning', message }),
    beforePrepare: (groups) => {
      if (!cache) return;
      for (const b of groups.keys()) {
        if (!b.cache) continue;
        b.cache.begin(cache.backendState(b.language));
        recording.set(b.language, b);
      }
    },
    afterPrepare: (sources, groups) => {
      if (cache)
        timed('cache', () =>
          findHits(cache, sources, hits, unreported, fixing ? { unsafe: values['unsafe-fixes'] } : undefined),
        );
      // Parsed ahead once the files to analyse are known: with --cache, the misses; with --shard,
      // the part's own files of a backend told about the others' too.
      for (const [backend, list] of groups)
        if (cache || outside.has(backend))
          backend.parseAhead?.(list.filter((s) => !hits.has(s)).map((s) => ({ path: s.path, text: s.text! })));
    },
    beforeEach: (s, done, total) => {
      progress ??= new Progress(io.stderr, total, cwd, io.stderr.isTTY === true && total > PROGRESS_THRESHOLD);
      progress.update(done + 1, s.path);
    },
    lint: lintOne,
    result: (s, result) => {
      if (!result) return;
      if (fixing)
        suggestions += result.findings.filter((f) => f.fixes.length > 0 && !f.fixes.some((x) => x.safe)).length;
      if (stats && result.timings) for (const [phase, ms] of Object.entries(result.timings)) stats.add(phase, ms);
      collect(s, result, cwd, logOnce, values['report-unused-disable-directives']);
      // Keep the text only where a formatter needs it (findings' fix ranges and regions).
      if (s.report.text === undefined) s.text = undefined;
    },
    time: stats && ((phase, ms) => stats.add(phase, ms)),
  });
  progress?.done();
  // After a fix, the backends analysed texts that are not (or no longer) on disk: nothing recorded
  // then is known to hold for the files as they are.
  if (cache && !textsChanged) {
    timed('cache', () => {
      try {
        cache.save((language, kept) => {
          const backend = recording.get(language);
          return backend ? backend.cache!.save(kept.map((e) => e.dependencies)) : cache.backendState(language);
        });
      } catch (e) {
        io.stderr.write(
          `async-lint: could not write the cache ${displayPath(cache.file, cwd)} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); the results are not affected\n`,
        );
      }
    });
  }
  const backendNotes = stats ? linter.backends.flatMap((b) => b.statsNotes?.() ?? []) : [];
  // The linter is done: end TypeScript 7's child process now (a linter given by the caller is theirs).
  if (!options.createLinter) linter.dispose();
  // --stdin --fix on a text that was not analysed (binary, too large): it comes back unchanged.
  if (stdinText !== undefined && values.fix && !dryRun && stdinOutput === undefined) stdinOutput = stdinText;

  // 4. Report. Hints are the editor's business: left out unless asked for (they never fail a run).
  if (!values['include-hints']) for (const r of reports) r.findings = r.findings.filter((f) => f.severity !== 'hint');
  if (values.quiet) {
    for (const r of reports) {
      r.findings = r.findings.filter((f) => f.severity === 'error');
      r.notices = r.notices.filter((n) => n.level === 'error');
    }
  }
  const outputFile = values['output-file'] !== undefined ? path.resolve(cwd, values['output-file']) : undefined;
  // --stdin --fix: standard output is the fixed text; the report goes to stderr (or the file).
  const reportStream: OutStream = stdinOutput !== undefined ? io.stderr : io.stdout;
  const context = {
    cwd,
    color: values.format === 'stylish' && !outputFile && wantsColor({ ...io, stdout: reportStream }),
    version,
    columns: reportStream.columns || Number(io.env.COLUMNS) || 80,
  };
  const output = timed('format', () =>
    values.diff ? diffs.join('') : values.statistics ? statistics(reports, values.format) : format(reports, context),
  );
  const text = output.length === 0 || output.endsWith('\n') ? output : `${output}\n`;
  if (outputFile) {
    try {
      await fs.promises.mkdir(path.dirname(outputFile), { recursive: true });
      await fs.promises.writeFile(outputFile, text);
    } catch (e) {
      throw new UsageError(
        `cannot write --output-file ${values['output-file']}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
  } else if (text.length > 0) {
    reportStream.write(text);
  }
  if (stdinOutput !== undefined) io.stdout.write(stdinOutput);
  if (values.fix && !dryRun && !stdinFile) {
    io.stderr.write(
      fixesApplied > 0
        ? `async-lint: applied ${fixesApplied} fix${fixesApplied === 1 ? '' : 'es'} in ${filesFixed} file${filesFixed === 1 ? '' : 's'}\n`
        : values['unsafe-fixes']
          ? 'async-lint: no fixes to apply\n'
          : `async-lint: no safe fixes to apply${suggestions > 0 ? ` (${suggestions} finding${suggestions === 1 ? ' has' : 's have'} suggestions: review them in the editor, or apply them with --fix --unsafe-fixes)` : ''}\n`,
    );
  }
  if (addNoqa) io.stderr.write(noqaSummary(noqa));
  if (found.files.length === 0 && found.issues.length === 0) io.stderr.write('async-lint: no files to lint\n');
  if (stats)
    io.stderr.write(
      statsTable(stats, found.files.length, performance.now() - wall0, cache ? fromCache : undefined) +
        backendNotes.map((l) => `${l}\n`).join(''),
    );

  const counts = countAll(reports);
  if (counts.fatal > 0) return EXIT_ERROR;
  if (values['exit-zero'] || addNoqa) return EXIT_OK;
  // --diff answers "would --fix change anything?", as `git diff --exit-code` does.
  if (values.diff) return diffs.length > 0 ? EXIT_FINDINGS : EXIT_OK;
  if (counts.error > 0) return EXIT_FINDINGS;
  if (maxWarnings === undefined ? counts.warning > 0 : maxWarnings >= 0 && counts.warning > maxWarnings)
    return EXIT_FINDINGS;
  return EXIT_OK;
}

/**
 * `--print-config`: what applies to a file, as plain JSON. Fields of the configuration not named
 * here (catalogs added later) are printed as they are.
 */
export function describeConfig(resolver: ConfigResolver, file: string): Record<string, unknown> {
  const config = resolver.forFile(file);
  const matched = new Set(config.matchedOverrides ?? []);
  const known = new Set([
    'source',
    'baseDir',
    'root',
    'overrides',
    'matchedOverrides',
    'severities',
    'ignorePatterns',
    'maxFileSize',
    'blockingCalls',
    'coroutines',
  ]);
  const out: Record<string, unknown> = {
    file,
    source: config.source ?? null,
    root: config.root,
    rules: Object.fromEntries(RULES.map((r) => [r.id, config.severities.get(r.id) ?? 'off'])),
    overrides: config.overrides.map((o) => ({ from: o.from, files: o.files, rules: o.rules, matched: matched.has(o) })),
    ignorePatterns: config.ignorePatterns,
    maxFileSize: config.maxFileSize,
    'blocking-calls': config.blockingCalls,
    coroutines: config.coroutines,
  };
  for (const [key, value] of Object.entries(config)) {
    if (known.has(key) || value === undefined || typeof value === 'function') continue;
    out[key] = value instanceof Map ? Object.fromEntries(value) : value instanceof Set ? [...value] : value;
  }
  return out;
}

function readProcessStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

/**
 * `--statistics`: findings per rule, most first, like Ruff's: count, rule id, `[*]` when --fix can
 * fix some, and the rule's description; with -f json, [{code, name, count, fixable}].
 */
function statistics(reports: readonly FileReport[], formatName: string): string {
  const rows = new Map<string, { count: number; fixable: boolean }>();
  for (const r of reports) {
    for (const f of r.findings) {
      const row = rows.get(f.ruleId) ?? { count: 0, fixable: false };
      row.count++;
      if (f.fixes.some((x) => x.safe)) row.fixable = true;
      rows.set(f.ruleId, row);
    }
  }
  const sorted = [...rows].sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1));
  if (formatName === 'json')
    return JSON.stringify(
      sorted.map(([id, r]) => ({ code: id, name: id, count: r.count, fixable: r.fixable })),
      null,
      2,
    );
  if (sorted.length === 0) return '';
  const countWidth = Math.max(...sorted.map(([, r]) => String(r.count).length));
  const idWidth = Math.max(...sorted.map(([id]) => id.length));
  const description = (id: string) => RULES.find((r) => r.id === id)?.description ?? '';
  return sorted
    .map(
      ([id, r]) =>
        `${String(r.count).padStart(countWidth)}  ${id.padEnd(idWidth)}  ${r.fixable ? '[*]' : '   '} ${description(id)}`,
    )
    .join('\n');
}

// ---- --cache -------------------------------------------------------------------------------------

/**
 * The files whose cached result still holds: same text, same configuration, and the backend says
 * what the analysis read is unchanged. With `fixing`, only results --fix would leave as they are
 * (nothing to apply): Linter.fix would lint, find no fix to apply, and return that result.
 */
/**
 * --shard: the files of this part (in their order); each wholeRun backend's files of the other
 * parts go to `outside`.
 */
function takeShard(
  files: readonly string[],
  shard: Shard,
  linter: Linter,
  cwd: string,
  outside: Map<LanguageBackend, string[]>,
): string[] {
  const known = new Map<string, string>();
  const described = files.map((file) => {
    const backend = linter.backendFor(file);
    let size = 0;
    try {
      size = fs.statSync(file).size;
    } catch {
      // unreadable: reported when read
    }
    return { path: file, size, unit: backend?.language === 'typescript' ? typeScriptUnit(file, known) : file, backend };
  });
  const dealt = dealShards(described, shard.count, cwd);
  const mine: string[] = [];
  for (const f of described) {
    if (dealt.get(f.path) === shard.index) mine.push(f.path);
    else if (f.backend?.wholeRun) {
      const list = outside.get(f.backend) ?? [];
      list.push(f.path);
      outside.set(f.backend, list);
    }
  }
  return mine;
}

function findHits(
  cache: LintCache,
  sources: readonly SourceFile[],
  hits: Map<SourceFile, LintResult>,
  unreported: ReadonlySet<Severity>,
  fixing: { unsafe: boolean } | undefined,
): void {
  const configDigests = new Map<ResolvedConfig, string>();
  // A result made without the rules at unreported severities lacks their findings: it answers only
  // a run that drops them too.
  const skipped = [...unreported].sort().join(',');
  for (const s of sources) {
    let config = configDigests.get(s.config);
    if (config === undefined)
      configDigests.set(s.config, (config = configDigest(s.config) + (skipped ? `/skip:${skipped}` : '')));
    s.digests = { text: digest(s.text!), config };
    const entry = cache.lookup(s.path, s.digests.text, config);
    if (!entry || entry.result.language !== s.backend.language || !s.backend.cache) continue;
    if (fixing && wouldFix(entry.result, fixing.unsafe)) continue;
    if (!s.backend.cache.unchanged(s.path, entry.dependencies)) continue;
    hits.set(s, { ...entry.result, path: s.path });
  }
}

/** Whether Linter.fix would apply a fix to a file with this result (its choice of fixes). */
function wouldFix(result: CachedResult, unsafe: boolean): boolean {
  return result.findings.some((f) => f.fixes.some((x) => x.safe) || (unsafe && f.fixes.some((x) => !x.individualOnly)));
}

/** Keeps a file's fresh result in the cache, with what its analysis read; or drops its old entry. */
function remember(cache: LintCache, s: SourceFile, result: LintResult): void {
  const dependencies = s.digests && cacheable(result) ? s.backend.cache?.dependencies(s.path) : undefined;
  if (dependencies === undefined) cache.delete(s.path);
  else cache.set(s.path, { text: s.digests!.text, config: s.digests!.config, dependencies, result: toCached(result) });
}

/** A lint result into the file's report: findings, and notices for what went wrong. */
function collect(
  s: SourceFile,
  result: LintResult,
  cwd: string,
  logOnce: (key: string, text: string) => void,
  reportUnused: boolean,
): void {
  const report = s.report;
  for (const p of result.directiveProblems ?? []) {
    if (p.kind === 'unused' && !reportUnused) continue;
    report.notices.push({ level: 'warning', message: p.message, range: p.range });
  }
  if (result.skipped) {
    const internal = result.skipped.reason === 'internal-error';
    report.notices.push({ level: internal ? 'error' : 'warning', message: firstLine(result.skipped.message) });
    if (internal) logOnce(`skip:${s.path}`, `${displayPath(s.path, cwd)}: ${result.skipped.message}`);
  }
  for (const failure of result.ruleFailures) {
    report.notices.push({
      level: 'error',
      ruleId: failure.ruleId,
      message: `rule '${failure.ruleId}' failed: ${firstLine(failure.error)}`,
    });
    logOnce(`rule:${failure.ruleId}`, `rule '${failure.ruleId}' failed on ${s.path}:\n${failure.error}`);
  }
  if (result.syntaxErrors.length > 0) {
    const first = result.syntaxErrors[0];
    const more = result.syntaxErrors.length - 1;
    const at = positionOf(s.text ?? '', first.start);
    report.notices.push({
      level: 'warning',
      message: `syntax error at ${at}: ${first.message.replace(/\.$/, '')}${more > 0 ? ` (and ${more} more)` : ''}; the rest of the file was still analysed`,
    });
  }
  report.findings = result.findings;
  if (result.findings.length > 0) report.text = s.text;
}

function positionOf(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return `${line}:${offset - lineStart + 1}`;
}

// ---- --add-noqa --------------------------------------------------------------------------------

interface NoqaTally {
  directives: number;
  files: number;
  /** file:line of findings no directive could be written for. */
  unsuppressible: string[];
  /** Files left alone because they do not parse. */
  syntaxErrorFiles: string[];
  /** Files whose new text could not be written, with why. */
  unwritable: string[];
}

/**
 * --add-noqa for one file: a directive for each line with reported findings (engine/directive-edit),
 * written only when the new text parses as well as the old and the findings are gone from it;
 * returns the result for the text now on disk. Files that do not parse are left alone (a
 * parser's recovery can move findings when a line is added).
 */
function addDirectives(
  linter: Linter,
  s: SourceFile,
  result: LintResult,
  reported: (f: Finding) => boolean,
  reason: string | undefined,
  tally: NoqaTally,
  cwd: string,
): LintResult {
  const shown = result.findings.filter(reported);
  if (shown.length === 0) return result;
  const where = displayPath(s.path, cwd);
  if (!s.backend.lineSafety) {
    tally.unwritable.push(`${where} (its language backend cannot place directives)`);
    return result;
  }
  if (result.syntaxErrors.length > 0) {
    tally.syntaxErrorFiles.push(where);
    return result;
  }
  const text = s.text!;
  const lines = new LineIndex(text);
  const wanted = shown.map((f) => ({ line: f.range.start.line, ruleId: f.ruleId }));
  const style = { leader: s.backend.lineComment, reason };
  let safety: LineSafety;
  let plan: DirectivePlan;
  try {
    // The backend parses the text as the plan asks where comments may stand (a text can be too deep for it).
    safety = s.backend.lineSafety(s.path, text);
    plan = planDirectives(lines, wanted, safety, style);
  } catch (e) {
    recoverOrThrow(e);
    tally.unwritable.push(`${where} (${firstLine((e as Error).message)})`);
    return result;
  }
  if (plan.edits.length === 0) {
    for (const line of plan.unsuppressible) tally.unsuppressible.push(`${where}:${line + 1}`);
    return result;
  }
  let next = applyTextEdits(text, plan.edits);
  let after = linter.lint(s.path, next, s.config);
  // A comment line the backend does not read as a directive there (a safety net: the TypeScript
  // backend once missed comments before a closing brace): those lines get an end-of-line one.
  const unplaced = new Set(plan.unsuppressible);
  const left = new Set(
    after.findings
      .filter(reported)
      .map((f) => lineIn(lines, f.range.start.line, plan))
      .filter((l) => !unplaced.has(l)),
  );
  if (left.size > 0) {
    plan = planDirectives(lines, wanted, safety, style, left);
    next = applyTextEdits(text, plan.edits);
    after = linter.lint(s.path, next, s.config);
  }
  for (const line of plan.unsuppressible) tally.unsuppressible.push(`${where}:${line + 1}`);
  // The backend now holds the new text: on a failure below it is given the old one back, so the
  // files linted after this one see what is on disk.
  const keepOld = (why: string) => {
    tally.unwritable.push(`${where} (${why})`);
    return linter.lint(s.path, text, s.config);
  };
  // The directives must be comments only: the text parses as before.
  if (after.syntaxErrors.length > 0 || s.backend.syntaxErrors(s.path, next).length > 0)
    return keepOld('a directive would not parse there');
  const bytes = encode(next, s.encoding!);
  try {
    if (!bytes) throw new Error(`the text has characters ${s.encoding} cannot encode`);
    writeAtomically(s.path, bytes);
  } catch (e) {
    return keepOld((e as Error).message);
  }
  tally.directives += plan.directives;
  tally.files++;
  s.text = next;
  // Findings a directive should have covered and did not (a statement spanning lines, say).
  const leftLines = new Set(after.findings.filter(reported).map((f) => lineIn(lines, f.range.start.line, plan)));
  for (const line of [...leftLines].sort((a, b) => a - b)) {
    const entry = `${where}:${line + 1}`;
    if (!tally.unsuppressible.includes(entry)) tally.unsuppressible.push(entry);
  }
  return after;
}

/** The line of the original text that line `newLine` of the text with the plan's edits applied was. */
function lineIn(lines: LineIndex, newLine: number, plan: DirectivePlan): number {
  // Each edit that inserted whole lines before `newLine` shifts it; edits are in line order.
  let line = newLine;
  for (const e of plan.edits) {
    const added = (e.newText.match(/\r\n|\r|\n/g) ?? []).length;
    if (added === 0) continue;
    if (lines.lineOf(e.start) + added <= line) line -= added;
    else break;
  }
  return line;
}

function recoverOrThrow(e: unknown): void {
  if (e instanceof RangeError) return;
  throw e;
}

function noqaSummary(t: NoqaTally): string {
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  let out = `async-lint: added ${plural(t.directives, 'directive', 'directives')} in ${plural(t.files, 'file', 'files')}\n`;
  const list = (items: readonly string[]) =>
    items
      .slice(0, 20)
      .map((x) => `  ${x}\n`)
      .join('') + (items.length > 20 ? `  ... and ${items.length - 20} more\n` : '');
  if (t.unsuppressible.length > 0)
    out += `async-lint: ${plural(t.unsuppressible.length, 'line has', 'lines have')} findings no directive could be written for (inside a string or a continued line); suppress them by hand:\n${list(t.unsuppressible)}`;
  if (t.syntaxErrorFiles.length > 0)
    out += `async-lint: ${plural(t.syntaxErrorFiles.length, 'file was', 'files were')} left alone because of syntax errors:\n${list(t.syntaxErrorFiles)}`;
  if (t.unwritable.length > 0)
    out += `async-lint: ${plural(t.unwritable.length, 'file was', 'files were')} not changed:\n${list(t.unwritable)}`;
  return out;
}

/** Files that mark a project's top folder, for a folder linted from outside it. */
const PROJECT_MARKERS = [
  '.git',
  'package.json',
  'pyproject.toml',
  'setup.py',
  'setup.cfg',
  'tsconfig.json',
  'jsconfig.json',
];

/**
 * The lint root of a folder no configuration file governs: the current folder when the folder is
 * inside it (as ESLint and Ruff); for a folder outside it (`async-lint ../other`), the nearest
 * folder above it holding a project marker, so that the built-in overrides (test code, tooling)
 * apply as they would when run from that project; else the folder itself.
 */
export function lintRootOf(cwd: string, dir: string): string {
  const rel = path.relative(cwd, dir);
  if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) return cwd;
  for (let d = dir; ; ) {
    if (PROJECT_MARKERS.some((m) => fs.existsSync(path.join(d, m)))) return d;
    const parent = path.dirname(d);
    if (parent === d) return dir;
    d = parent;
  }
}
