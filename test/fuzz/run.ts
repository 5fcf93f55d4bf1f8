// The long-run fuzzer: `npm run fuzz [-- options]`.
//
//   --runs N          inputs per language (default 100000)
//   --lang L          typescript | python | all (default all)
//   --seed S          run seed (default: from the clock); input i of a run is reproducible alone
//   --only I          check only input I of the run (with --seed and --lang): reproduce a failure
//   --from I          start at input I (then --runs inputs; no large cases): replay a stretch of a run
//   --no-large        skip the 10 MB line cases
//   --report FILE     where the summary goes (default test/fuzz/last-run.json)
//   --no-save         do not write failing inputs to test/fixtures/regressions/
//   --dump FILE       with --only: also write the input's text to FILE
//
// Inputs are mutated fixture files (see mutate.ts); every property of harness.ts is checked on
// each. The checking happens in a worker process so that a real hang (an analysis that never
// returns) is caught by a watchdog, a process crash is counted and survived, and a crash that
// poisons the parser's wasm memory does not cascade into the next inputs: the worker stops after
// any crash and a fresh one carries on with the next input. Each distinct failure is reduced
// (lines, then characters, keeping the same failure) and saved as a regression fixture.
import { fork, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { FuzzHarness, hangBoundMs, type Outcome, type Problem, type ProblemKind } from './harness';
import { inputArb, longLine, mutate, type FuzzInput, type Lang } from './mutate';
import { loadSeeds, ROOT, type Seed } from './seeds';

const REGRESSIONS = path.join(ROOT, 'test', 'fixtures', 'regressions');
const LANGS: readonly Lang[] = ['typescript', 'python'];
/** Random inputs make lines up to this long; the 10 MB lines are the separate large cases. */
const MAX_RANDOM_LINE = 100_000;
const LARGE_LINE = 10 * 1024 * 1024;
/** The large cases are analysed with maxFileSize raised over them (by default they are skipped). */
const LARGE_MAX_FILE_SIZE = 16 * 1024 * 1024;
const LARGE_UNITS: Record<Lang, readonly string[]> = {
  typescript: ['a', 'a + ', '"x" + ', 'f(', '(', 'load(), ', '/*', ' '],
  python: ['a', 'a + ', '"x" + ', 'f(', '(', 'load(), ', '#', ' '],
};
/** Crash kinds: after one, the worker's parser state is not trusted any more. */
const CRASH_KINDS: ReadonlySet<ProblemKind> = new Set(['throw', 'internal-error', 'rule-failure']);

// ---- inputs --------------------------------------------------------------------------------------

interface Corpus {
  lang: Lang;
  seeds: Seed[];
  donors: string[];
  arb: fc.Arbitrary<FuzzInput>;
}

function corpus(lang: Lang): Corpus {
  const seeds = loadSeeds(lang);
  return {
    lang,
    seeds,
    donors: seeds.map((s) => s.text),
    arb: inputArb(lang, seeds.length, { maxLongLine: MAX_RANDOM_LINE }),
  };
}

/** Input `index` of the run with `seed`: generated on its own, so any one can be replayed. */
function inputAt(
  c: Corpus,
  seed: number,
  index: number,
): { ext: string; text: string; input: FuzzInput; maxFileSize?: number; label: string } {
  const largeCount = LARGE_UNITS[c.lang].length * 2;
  if (index < 0) {
    // Negative indices are the large cases: each unit with the default maxFileSize (skipped) and raised.
    const k = -index - 1;
    if (k >= largeCount) throw new Error(`no large case ${index}`);
    const unit = LARGE_UNITS[c.lang][k >> 1];
    const raised = (k & 1) === 1;
    const text = longLine(c.lang, unit, LARGE_LINE);
    return {
      ext: c.lang === 'python' ? '.py' : '.ts',
      text,
      input: { seed: -1, mutations: [{ kind: 'long-line', at: 0, unit, length: LARGE_LINE }] },
      maxFileSize: raised ? LARGE_MAX_FILE_SIZE : undefined,
      label: `10 MB line of ${JSON.stringify(unit)}${raised ? ' (maxFileSize 16 MB)' : ' (default maxFileSize)'}`,
    };
  }
  const [input] = fc.sample(c.arb, { seed: (seed ^ Math.imul(index + 1, 0x9e3779b1)) | 0, numRuns: 1 });
  const s = c.seeds[input.seed];
  return { ext: s.ext, text: mutate(c.lang, s.text, input.mutations, c.donors), input, label: s.name };
}

// ---- worker ----------------------------------------------------------------------------------------

type ToWorker =
  | { type: 'range'; lang: Lang; seed: number; from: number; to: number; large: boolean }
  | { type: 'text'; ext: string; text: string; maxFileSize?: number };
type FromWorker =
  | { type: 'ready' }
  | { type: 'start'; index: number; length: number }
  | { type: 'done'; index: number; outcome: Outcome }
  | { type: 'checked'; outcome: Outcome };

async function worker(): Promise<void> {
  // The run that forked this worker ended (or was killed): stop too, rather than fuzz for no one.
  process.on('disconnect', () => process.exit(0));
  const harness = await FuzzHarness.create();
  const send = (m: FromWorker) => process.send!(m);
  const corpora = new Map<Lang, Corpus>();
  process.on('message', async (m: ToWorker) => {
    if (m.type === 'text') {
      await harness.ready();
      const outcome = harness.check(m.ext, m.text, { maxFileSize: m.maxFileSize });
      send({ type: 'checked', outcome });
      if (outcome.problems.some((p) => CRASH_KINDS.has(p.kind))) exitAfterSend(3);
      return;
    }
    let c = corpora.get(m.lang);
    if (!c) corpora.set(m.lang, (c = corpus(m.lang)));
    const first = m.large ? -LARGE_UNITS[m.lang].length * 2 : 0;
    for (let i = Math.max(m.from, first); i < m.to; i++) {
      if (i < 0 && !m.large) continue;
      const { ext, text, maxFileSize } = inputAt(c, m.seed, i);
      await harness.ready();
      send({ type: 'start', index: i, length: text.length });
      const outcome = harness.check(ext, text, { maxFileSize });
      send({ type: 'done', index: i, outcome });
      if (outcome.problems.some((p) => CRASH_KINDS.has(p.kind))) return exitAfterSend(3);
    }
    exitAfterSend(0);
  });
  send({ type: 'ready' });
}

function exitAfterSend(code: number): void {
  // process.send is asynchronous; leave once the channel has flushed.
  process.send!({ type: 'ready' }, () => process.exit(code));
}

function spawnWorker(): ChildProcess {
  return fork(__filename, ['--worker'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

// ---- orchestration --------------------------------------------------------------------------------

interface Failure {
  key: string;
  lang: Lang;
  kind: ProblemKind | 'process-crash';
  index: number;
  detail: string;
  saved?: string;
}

interface LangSummary {
  inputs: number;
  largeLineCases: number;
  crashes: number;
  hangs: number;
  brokenFixes: number;
  badFixes: number;
  nondeterministic: number;
  badRanges: number;
  /** Inputs TypeScript's own recursive parser or checker could not nest (skipped with a message). */
  tooDeepForTypeScript: number;
  skippedTooLarge: number;
  skippedBinary: number;
  /** Python inputs over tree-sitter's 2 GB: skipped with a message, the parser reloaded. */
  parserOutOfMemory: number;
  findings: number;
  fixesChecked: number;
  maxMs: number;
  maxMsInput: string;
  slowest10MbLineMs: number;
  seconds: number;
}

function emptySummary(): LangSummary {
  return {
    inputs: 0,
    largeLineCases: 0,
    crashes: 0,
    hangs: 0,
    brokenFixes: 0,
    badFixes: 0,
    nondeterministic: 0,
    badRanges: 0,
    tooDeepForTypeScript: 0,
    skippedTooLarge: 0,
    skippedBinary: 0,
    parserOutOfMemory: 0,
    findings: 0,
    fixesChecked: 0,
    maxMs: 0,
    maxMsInput: '',
    slowest10MbLineMs: 0,
    seconds: 0,
  };
}

/** A failure's identity: its kind, the rule, and where it happened (first frame of ours). */
function failureKey(lang: Lang, p: Problem | { kind: 'process-crash' | 'hang'; detail: string }): string {
  const lines = p.detail.split('\n');
  const rule = /^([a-z-]+): /.exec(lines[0])?.[1] ?? '';
  const frame =
    lines
      .find((l) => /^\s+at .*(server[\\/]src|test[\\/]fuzz)/.test(l))
      ?.trim()
      .replace(/:\d+:\d+\)?$/, '') ?? '';
  // A nondeterminism's first differing line says what differs (a count, a message, a fix).
  const first = p.kind === 'nondeterministic' ? `${lines[0]} ${(lines[1] ?? '').replace(/:.*/, '')}` : lines[0];
  const head = first.replace(/\d+/g, 'N').slice(0, 120);
  return `${lang}|${p.kind}|${rule}|${frame || head}`;
}

function count(summary: LangSummary, outcome: Outcome, index: number, label: () => string): void {
  for (const p of outcome.problems) {
    if (CRASH_KINDS.has(p.kind)) summary.crashes++;
    else if (p.kind === 'hang') summary.hangs++;
    else if (p.kind === 'fix-breaks-syntax' || p.kind === 'fix-all-breaks') summary.brokenFixes++;
    else if (p.kind === 'bad-fix') summary.badFixes++;
    else if (p.kind === 'nondeterministic') summary.nondeterministic++;
    else if (p.kind === 'bad-range') summary.badRanges++;
  }
  if (outcome.tooDeep) summary.tooDeepForTypeScript++;
  if (outcome.skipped === 'too-large') summary.skippedTooLarge++;
  if (outcome.skipped === 'binary') summary.skippedBinary++;
  if (outcome.skipped === 'out-of-memory') summary.parserOutOfMemory++;
  summary.findings += outcome.findings;
  summary.fixesChecked += outcome.fixesChecked;
  if (outcome.ms > summary.maxMs) {
    summary.maxMs = Math.round(outcome.ms);
    summary.maxMsInput = `${index < 0 ? 'large case' : 'input'} ${index} (${label()})`;
  }
}

async function runLanguage(
  lang: Lang,
  opts: Options,
  summary: LangSummary,
  failures: Map<string, Failure>,
): Promise<void> {
  const c = corpus(lang);
  const t0 = Date.now();
  let next = opts.from ?? (opts.large ? -LARGE_UNITS[lang].length * 2 : 0);
  const to = (opts.from ?? 0) + opts.runs;
  let lastReport = Date.now();
  while (next < to) {
    const from = next;
    const child = spawnWorker();
    let current: { index: number; length: number } | undefined;
    let watchdog: NodeJS.Timeout | undefined;
    let sent = false;
    const arm = () => {
      clearTimeout(watchdog);
      // Twice the hang bound, plus start-up time: past it the worker is stuck, not slow.
      const bound = 2 * hangBoundMs('x'.repeat(current?.length ?? 0)) + 60_000;
      watchdog = setTimeout(() => child.kill('SIGKILL'), bound);
    };
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.on('message', (m: FromWorker) => {
      if (m.type === 'ready' && !sent) {
        sent = true;
        child.send({ type: 'range', lang, seed: opts.seed, from, to, large: opts.large } satisfies ToWorker);
      } else if (m.type === 'start') {
        current = { index: m.index, length: m.length };
      } else if (m.type === 'done') {
        current = undefined;
        next = m.index + 1;
        if (m.index < 0) summary.largeLineCases++;
        else summary.inputs++;
        count(summary, m.outcome, m.index, () => inputAt(c, opts.seed, m.index).label);
        if (m.index < 0 && m.outcome.skipped === undefined)
          summary.slowest10MbLineMs = Math.max(summary.slowest10MbLineMs, Math.round(m.outcome.ms));
        for (const p of m.outcome.problems) {
          const key = failureKey(lang, p);
          if (!failures.has(key)) {
            failures.set(key, { key, lang, kind: p.kind, index: m.index, detail: p.detail });
            logFailure(opts, failures.get(key)!);
          }
        }
        if (m.index >= 0 && (summary.inputs % 1000 === 0 || Date.now() - lastReport > 60_000)) {
          lastReport = Date.now();
          process.stderr.write(
            `[fuzz] ${lang}: ${summary.inputs}/${to} inputs, crashes ${summary.crashes}, hangs ${summary.hangs}, broken fixes ${summary.brokenFixes}, ` +
              `nondeterministic ${summary.nondeterministic}, too deep for TS ${summary.tooDeepForTypeScript}, ${Math.round((Date.now() - t0) / 1000)} s\n`,
          );
        }
      }
      arm();
    });
    arm();
    const code = await exit;
    clearTimeout(watchdog);
    if (current !== undefined) {
      // The worker died or was killed in the middle of an input: a hang or a process crash.
      const kind = code === null ? 'hang' : 'process-crash';
      const { label } = inputAt(c, opts.seed, current.index);
      const detail =
        kind === 'hang'
          ? `no answer within the watchdog for ${current.length} characters (${label})`
          : `worker exited with ${code} (${label})`;
      if (current.index < 0) summary.largeLineCases++;
      else summary.inputs++;
      if (kind === 'hang') summary.hangs++;
      else summary.crashes++;
      const key = failureKey(lang, { kind, detail });
      if (!failures.has(key)) {
        failures.set(key, { key, lang, kind, index: current.index, detail });
        logFailure(opts, failures.get(key)!);
      }
      next = current.index + 1;
    } else if (code !== 0 && code !== 3) {
      throw new Error(`fuzz worker failed to start or run (exit ${code})`);
    }
  }
  summary.seconds = Math.round((Date.now() - t0) / 1000);
}

/** Each new failure as it is found, one JSON line beside the report (replay: --seed S --only I). */
function logFailure(opts: Options, f: Failure): void {
  const line = JSON.stringify({
    seed: opts.seed,
    lang: f.lang,
    index: f.index,
    kind: f.kind,
    key: f.key,
    detail: f.detail.split('\n').slice(0, 8).join('\n'),
  });
  fs.appendFileSync(opts.report.replace(/\.json$/, '') + '.failures.jsonl', line + '\n');
  process.stderr.write(
    `[fuzz] new failure: ${f.key} (input ${f.index}; replay with --lang ${f.lang} --seed ${opts.seed} --only ${f.index})\n`,
  );
}

// ---- reduction and saving ----------------------------------------------------------------------------

/** Asks a worker whether a text still fails with the same key; a fresh worker after each crash. */
class Oracle {
  private child: ChildProcess | undefined;
  private readyWait: Promise<void> | undefined;
  constructor(private readonly lang: Lang) {}

  private async ensure(): Promise<ChildProcess> {
    if (!this.child) {
      const child = spawnWorker();
      this.child = child;
      this.readyWait = new Promise((resolve) => child.once('message', () => resolve()));
      child.on('exit', () => {
        if (this.child === child) this.child = undefined;
      });
    }
    await this.readyWait;
    return this.child!;
  }

  async fails(ext: string, text: string, key: string, maxFileSize?: number): Promise<boolean> {
    const child = await this.ensure();
    const answer = new Promise<Outcome | undefined>((resolve) => {
      const onMessage = (m: FromWorker) => {
        if (m.type !== 'checked') return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(m.outcome);
      };
      const onExit = () => {
        child.off('message', onMessage);
        resolve(undefined);
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
    });
    child.send({ type: 'text', ext, text, maxFileSize } satisfies ToWorker);
    const outcome = await answer;
    if (!outcome) return false;
    const same = outcome.problems.some((p) => failureKey(this.lang, p) === key);
    if (outcome.problems.some((p) => CRASH_KINDS.has(p.kind))) {
      // The worker exits after a crash; wait for it so the next question gets a fresh one.
      await new Promise((resolve) => (this.child ? this.child.once('exit', resolve) : resolve(undefined)));
      this.child = undefined;
    }
    return same;
  }

  dispose(): void {
    this.child?.kill();
  }
}

/** Delta debugging over units (lines, then characters): the smallest text that still fails. */
async function reduce(
  units: string[],
  fails: (text: string) => Promise<boolean>,
  budget: { tests: number },
): Promise<string[]> {
  let chunk = Math.ceil(units.length / 2);
  while (chunk >= 1 && budget.tests > 0) {
    let changed = false;
    for (let i = 0; i < units.length && budget.tests > 0; ) {
      const candidate = units.slice(0, i).concat(units.slice(i + chunk));
      budget.tests--;
      if (candidate.length > 0 && (await fails(candidate.join('')))) {
        units = candidate;
        changed = true;
      } else {
        i += chunk;
      }
    }
    if (!changed) chunk = Math.floor(chunk / 2);
  }
  return units;
}

async function saveFailure(f: Failure, opts: Options): Promise<void> {
  const c = corpus(f.lang);
  const { ext, text, maxFileSize } = inputAt(c, opts.seed, f.index);
  let reduced = text;
  if (f.kind !== 'hang' && f.kind !== 'process-crash' && text.length <= 2_000_000) {
    const oracle = new Oracle(f.lang);
    try {
      const fails = (t: string) => oracle.fails(ext, t, f.key, maxFileSize);
      if (await fails(text)) {
        const budget = { tests: 3000 };
        const lines = await reduce(text.match(/[^\n]*\n|[^\n]+$/g) ?? [text], fails, budget);
        reduced = (await reduce([...lines.join('')], fails, budget)).join('');
      }
    } finally {
      oracle.dispose();
    }
  }
  const hash = crypto.createHash('sha256').update(reduced).digest('hex').slice(0, 10);
  const name = `${f.kind}-${hash}${ext}`;
  fs.mkdirSync(REGRESSIONS, { recursive: true });
  fs.writeFileSync(path.join(REGRESSIONS, name), reduced);
  f.saved = path.relative(ROOT, path.join(REGRESSIONS, name));
}

// ---- main ---------------------------------------------------------------------------------------------

interface Options {
  runs: number;
  langs: Lang[];
  seed: number;
  only?: number;
  /** First input index (a part of a run: inputs from..from+runs-1, no large cases). */
  from?: number;
  large: boolean;
  report: string;
  save: boolean;
  dump?: string;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = {
    runs: 100_000,
    langs: [...LANGS],
    seed: Date.now() | 0,
    large: true,
    report: path.join(ROOT, 'test', 'fuzz', 'last-run.json'),
    save: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--runs') opts.runs = Number(value());
    else if (a === '--lang') {
      const l = value();
      opts.langs = l === 'all' ? [...LANGS] : [l as Lang];
      if (!opts.langs.every((x) => LANGS.includes(x))) throw new Error(`--lang: typescript, python or all, not '${l}'`);
    } else if (a === '--seed') opts.seed = Number(value()) | 0;
    else if (a === '--only') opts.only = Number(value());
    else if (a === '--from') opts.from = Number(value());
    else if (a === '--no-large') opts.large = false;
    else if (a === '--report') opts.report = path.resolve(value());
    else if (a === '--no-save') opts.save = false;
    else if (a === '--dump') opts.dump = path.resolve(value());
    else throw new Error(`unknown option '${a}'`);
  }
  if (!Number.isInteger(opts.runs) || opts.runs < 0) throw new Error('--runs must be a whole number');
  return opts;
}

async function replay(opts: Options): Promise<void> {
  const harness = await FuzzHarness.create();
  try {
    for (const lang of opts.langs) {
      const { ext, text, input, label, maxFileSize } = inputAt(corpus(lang), opts.seed, opts.only!);
      if (opts.dump) fs.writeFileSync(opts.dump, text);
      await harness.ready();
      const outcome = harness.check(ext, text, { maxFileSize });
      console.log(JSON.stringify({ lang, label, input, length: text.length, outcome }, null, 2));
    }
  } finally {
    harness.dispose();
  }
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.only !== undefined) return replay(opts);
  const failures = new Map<string, Failure>();
  const summaries: Partial<Record<Lang, LangSummary>> = {};
  process.stderr.write(`[fuzz] seed ${opts.seed}, ${opts.runs} inputs per language: ${opts.langs.join(', ')}\n`);
  for (const lang of opts.langs) {
    const summary = emptySummary();
    summaries[lang] = summary;
    await runLanguage(lang, opts, summary, failures);
  }
  if (opts.save) for (const f of failures.values()) await saveFailure(f, opts);
  const report = {
    date: new Date().toISOString(),
    seed: opts.seed,
    runsPerLanguage: opts.runs,
    node: process.version,
    summaries,
    failures: [...failures.values()].map((f) => ({ ...f, detail: f.detail.split('\n').slice(0, 12).join('\n') })),
  };
  fs.writeFileSync(opts.report, JSON.stringify(report, null, 2) + '\n');
  console.log(
    JSON.stringify(
      { seed: opts.seed, summaries, failures: report.failures.map((f) => `${f.key} -> ${f.saved ?? 'not saved'}`) },
      null,
      2,
    ),
  );
  process.exitCode = failures.size > 0 ? 1 : 0;
}

if (process.argv.includes('--worker')) {
  void worker();
} else {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  });
}
