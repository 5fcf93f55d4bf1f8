// `npm run bench`: async-lint against its floors, in one run, on the same files.
//   TypeScript: a bare parse of every file (ts.createSourceFile), `tsc --noEmit`, our CLI.
//   Python:     a bare tree-sitter parse of every file, our CLI.
//   Editor:     the language server through a real LSP client over stdio: first diagnostics in a
//               cold project, then p50/p95 from an edit to fresh diagnostics, and server memory.
// Wall times are medians over --runs runs (measurements interleaved, so a busy moment on a shared
// machine hits all of them alike); memory is each process's peak RSS. Prints a table with ratios
// to the floors and writes bench/results.json.
// usage: node bench/run.mjs [dir] [--runs 3] [--tsc-runs 1] [--edits 20] [--warmup 3]
//          [--only ids] [--skip ids] [--lsp-file f] [--lsp-mode pull|push] [--out f]
//          [--dist dir | --no-minify] [--cli path] [--server path] [--cli-env K=V] [--label text]
//          [--corpus dir (default $TMPDIR/async-lint-bench-corpus)] [--seed n] [--domains n]
//        ids: ts-parse, tsc, tsc7, cli-ts, cli-ts6, cli-ts7, py-parse, cli-py, lsp, stats
// cli-ts is the CLI as shipped (its default type backend); cli-ts6 / cli-ts7 force one
// (`--type-backend`, server/src/typescript/engine.ts), and say whether their findings are the
// same; tsc7 is TypeScript 7's own `tsc --noEmit` (the `typescript7` dev dependency).
// The CLI and the server are bundled first, as shipped (esbuild --production), into a folder of
// the benchmark's own ($TMPDIR/async-lint-bench-dist), so a concurrent `npm run build` cannot
// swap dist/ under a measurement. --dist DIR uses an existing build instead; --no-minify bundles
// without minifying (readable CPU profiles).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CORPUS_DIR, ensureCorpus } from './corpus.mjs';
import { listSourceFiles, PY_EXTENSIONS, sizeOf, TS_EXTENSIONS } from './lib/files.mjs';
import { measure, median } from './lib/measure.mjs';
import { measureLsp } from './lsp.mjs';

const require = createRequire(import.meta.url);
const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH);
const ALL = ['ts-parse', 'tsc', 'tsc7', 'cli-ts', 'cli-ts6', 'cli-ts7', 'py-parse', 'cli-py', 'lsp', 'stats'];

// ---- options -----------------------------------------------------------------------------

function parseArgs(argv) {
  const o = {
    dir: undefined,
    runs: 3,
    tscRuns: 1,
    edits: 20,
    warmup: 3,
    only: ALL,
    skip: [],
    lspFile: undefined,
    lspMode: 'pull',
    out: path.join(BENCH, 'results.json'),
    dist: undefined,
    minify: true,
    cli: undefined,
    server: undefined,
    cliEnv: {},
    label: undefined,
    seed: undefined,
    domains: undefined,
    corpus: DEFAULT_CORPUS_DIR,
  };
  const list = (v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    switch (a) {
      case '--runs':
        o.runs = Number(v());
        break;
      case '--tsc-runs':
        o.tscRuns = Number(v());
        break;
      case '--edits':
        o.edits = Number(v());
        break;
      case '--warmup':
        o.warmup = Number(v());
        break;
      case '--only':
        o.only = list(v());
        break;
      case '--skip':
        o.skip = list(v());
        break;
      case '--lsp-file':
        o.lspFile = path.resolve(v());
        break;
      case '--lsp-mode':
        o.lspMode = v();
        break;
      case '--out':
        o.out = path.resolve(v());
        break;
      case '--dist':
        o.dist = path.resolve(v());
        break;
      case '--no-minify':
        o.minify = false;
        break;
      case '--cli':
        o.cli = path.resolve(v());
        break;
      case '--server':
        o.server = path.resolve(v());
        break;
      case '--cli-env': {
        const [k, ...rest] = v().split('=');
        o.cliEnv[k] = rest.join('=');
        break;
      }
      case '--label':
        o.label = v();
        break;
      case '--seed':
        o.seed = Number(v());
        break;
      case '--domains':
        o.domains = Number(v());
        break;
      case '--corpus':
        o.corpus = path.resolve(v());
        break;
      case '-h':
      case '--help':
        console.log(
          fs
            .readFileSync(fileURLToPath(import.meta.url), 'utf8')
            .split('\n')
            .filter((l) => l.startsWith('//'))
            .map((l) => l.slice(3))
            .join('\n'),
        );
        process.exit(0);
        break;
      default:
        if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
        o.dir = path.resolve(a);
    }
  }
  for (const id of [...o.only, ...o.skip])
    if (!ALL.includes(id)) throw new Error(`unknown measurement '${id}'; known: ${ALL.join(', ')}`);
  if (!(o.runs >= 1) || !(o.tscRuns >= 0) || !(o.edits >= 1) || !(o.warmup >= 0))
    throw new Error('--runs, --edits must be >= 1; --tsc-runs, --warmup >= 0');
  if (o.lspMode !== 'pull' && o.lspMode !== 'push') throw new Error('--lsp-mode is pull or push');
  return o;
}

// ---- the targets (from the performance issue) ---------------------------------------------

const TARGETS = [
  {
    id: 'cli-ts-time',
    text: 'TS/JS CLI wall <= 0.5x tsc --noEmit',
    value: (r) => ratio(r['cli-ts']?.wallMs, r.tsc?.wallMs),
    limit: 0.5,
    unit: 'x',
  },
  {
    id: 'cli-ts-memory',
    text: 'TS/JS CLI peak memory <= tsc --noEmit',
    value: (r) => ratio(r['cli-ts']?.peakRssBytes, r.tsc?.peakRssBytes),
    limit: 1,
    unit: 'x',
  },
  {
    id: 'cli-py-time',
    text: 'Python CLI wall <= 2x bare tree-sitter parse',
    value: (r) => ratio(r['cli-py']?.wallMs, r['py-parse']?.wallMs),
    limit: 2,
    unit: 'x',
  },
  {
    id: 'lsp-p95',
    text: 'server: p95 edit -> fresh diagnostics <= 50 ms',
    value: (r) => (r.lsp?.ok ? r.lsp.p95Ms : undefined),
    limit: 50,
    unit: 'ms',
  },
  {
    id: 'lsp-first',
    text: 'server: first diagnostics in a cold project < 2 s',
    value: (r) => (r.lsp?.ok ? r.lsp.firstDiagnosticsMs : undefined),
    limit: 2000,
    unit: 'ms',
  },
];

function ratio(a, b) {
  return typeof a === 'number' && typeof b === 'number' && b > 0 ? a / b : undefined;
}

// ---- measurements --------------------------------------------------------------------------

/** One row of the table: how to run it, and a check that a run did what it should. */
function plan(o, target) {
  const node = process.execPath;
  const tscBin = require.resolve('typescript/bin/tsc');
  const jobs = [];
  const want = (id) => o.only.includes(id) && !o.skip.includes(id);
  const missing = (file, what) =>
    fs.existsSync(file) ? undefined : `${what} not built (${path.relative(ROOT, file)} missing: npm run build)`;

  if (target.tsDir && want('ts-parse')) {
    jobs.push({
      id: 'ts-parse',
      runs: o.runs,
      cmd: [node, path.join(BENCH, 'floors', 'ts-parse.mjs'), target.tsDir],
      parse: true,
    });
  }
  if (target.tsDir && want('tsc')) {
    const hasConfig = fs.existsSync(path.join(target.tsDir, 'tsconfig.json'));
    jobs.push({
      id: 'tsc',
      runs: o.tscRuns,
      unavailable: hasConfig
        ? o.tscRuns === 0
          ? 'skipped (--tsc-runs 0)'
          : undefined
        : 'no tsconfig.json at the top of the folder',
      cmd: [node, tscBin, '--noEmit', '-p', target.tsDir],
      okCodes: [0, 1, 2], // type errors in the project do not make the measurement invalid
    });
  }
  if (target.tsDir && want('cli-ts')) {
    jobs.push({
      id: 'cli-ts',
      runs: o.runs,
      unavailable: missing(o.cli, 'CLI'),
      cmd: [node, o.cli, target.tsDir, '--format', 'json'],
      env: o.cliEnv,
      okCodes: [0, 1],
      findings: true,
    });
  }
  const ts7 = hasModule('typescript7/package.json') ? undefined : "the 'typescript7' package is not installed";
  if (target.tsDir && want('tsc7')) {
    const hasConfig = fs.existsSync(path.join(target.tsDir, 'tsconfig.json'));
    jobs.push({
      id: 'tsc7',
      runs: o.tscRuns,
      unavailable:
        ts7 ??
        (hasConfig
          ? o.tscRuns === 0
            ? 'skipped (--tsc-runs 0)'
            : undefined
          : 'no tsconfig.json at the top of the folder'),
      cmd: [
        node,
        ts7 ? 'tsc' : path.join(path.dirname(require.resolve('typescript7/package.json')), 'bin', 'tsc'),
        '--noEmit',
        '-p',
        target.tsDir,
      ],
      okCodes: [0, 1, 2],
    });
  }
  for (const [id, backend] of [
    ['cli-ts6', 'typescript6'],
    ['cli-ts7', 'typescript7'],
  ]) {
    if (!target.tsDir || !want(id)) continue;
    jobs.push({
      id,
      runs: o.runs,
      unavailable: missing(o.cli, 'CLI') ?? (backend === 'typescript7' ? ts7 : undefined),
      cmd: [node, o.cli, target.tsDir, '--format', 'json', '--include-hints', '--type-backend', backend],
      // The bundle lives outside the repository; it loads typescript7 from the repository's node_modules.
      env: o.cliEnv,
      okCodes: [0, 1],
      findings: true,
    });
  }
  if (target.pyDir && want('py-parse')) {
    jobs.push({
      id: 'py-parse',
      runs: o.runs,
      cmd: [node, path.join(BENCH, 'floors', 'py-parse.mjs'), target.pyDir],
      parse: true,
    });
  }
  if (target.pyDir && want('cli-py')) {
    jobs.push({
      id: 'cli-py',
      runs: o.runs,
      unavailable: missing(o.cli, 'CLI'),
      cmd: [node, o.cli, target.pyDir, '--format', 'json'],
      env: o.cliEnv,
      okCodes: [0, 1],
      findings: true,
    });
  }
  return jobs;
}

/** Runs the jobs in rounds (one run of each per round), after one untimed warm-up run each. */
async function runJobs(jobs, _o) {
  const results = {};
  for (const job of jobs) {
    if (job.unavailable) {
      results[job.id] = { ok: false, unavailable: job.unavailable };
      continue;
    }
    progress(`${job.id}: warm-up`);
    const warm = await measure(job.cmd[0], job.cmd.slice(1), { env: job.env, cwd: ROOT, timeoutMs: 30 * 60_000 });
    const problem = failure(job, warm);
    if (problem) {
      results[job.id] = { ok: false, unavailable: problem };
      continue;
    }
    results[job.id] = {
      ok: true,
      runs: [],
      command: ['node', ...job.cmd.slice(1).map((c) => (path.isAbsolute(c) ? path.relative(ROOT, c) || '.' : c))].join(
        ' ',
      ),
      env: job.env && Object.keys(job.env).length ? job.env : undefined,
    };
    if (job.parse) results[job.id].output = JSON.parse(warm.stdout);
    if (job.findings) results[job.id].findings = summarizeFindings(warm.stdout);
  }
  const rounds = Math.max(0, ...jobs.map((j) => j.runs));
  for (let round = 0; round < rounds; round++) {
    for (const job of jobs) {
      const r = results[job.id];
      if (!r.ok || round >= job.runs) continue;
      progress(`${job.id}: run ${round + 1}/${job.runs}`);
      const m = await measure(job.cmd[0], job.cmd.slice(1), { env: job.env, cwd: ROOT, timeoutMs: 30 * 60_000 });
      const problem = failure(job, m);
      if (problem) {
        results[job.id] = { ok: false, unavailable: problem };
        continue;
      }
      // A run whose work happens partly in a child process that is not Node (the native
      // TypeScript 7 compiler) reports that child's peak itself; both are counted.
      const child = job.childMemory ? JSON.parse(m.stdout).childPeakRssBytes : undefined;
      r.runs.push({
        wallMs: round2(m.wallMs),
        peakRssBytes: m.peakRssBytes === undefined ? undefined : m.peakRssBytes + (child ?? 0),
        childPeakRssBytes: child,
      });
    }
  }
  for (const r of Object.values(results)) {
    if (!r.ok) continue;
    r.wallMs = round2(median(r.runs.map((x) => x.wallMs)));
    r.peakRssBytes = median(r.runs.map((x) => x.peakRssBytes));
  }
  return results;
}

function failure(job, m) {
  if (m.timedOut) return 'timed out';
  const ok = job.okCodes ?? [0];
  if (!ok.includes(m.code))
    return `exited with ${m.code ?? m.signal}: ${(m.stderr || m.stdout).trim().split('\n').slice(-3).join(' | ').slice(0, 400)}`;
  if (job.parse) {
    try {
      JSON.parse(m.stdout);
    } catch {
      return `unexpected output: ${m.stdout.slice(0, 200)}`;
    }
  }
  if (job.findings) {
    try {
      JSON.parse(m.stdout);
    } catch {
      return `the CLI's --format json output did not parse: ${(m.stdout || m.stderr).slice(0, 200)}`;
    }
  }
  return undefined;
}

/** Findings per rule from the CLI's ESLint-style JSON, and the files it reported on. */
function summarizeFindings(stdout) {
  const files = JSON.parse(stdout);
  const byRule = {};
  let total = 0;
  const lines = new Map();
  for (const f of files) {
    for (const m of f.messages ?? []) {
      const id = m.ruleId ?? '(none)';
      byRule[id] = (byRule[id] ?? 0) + 1;
      total++;
      const key = f.filePath;
      if (!lines.has(key)) lines.set(key, []);
      lines.get(key).push({ ruleId: id, line: m.line });
    }
  }
  // The whole report, for comparing two runs' findings (cli-ts6 and cli-ts7).
  const digest = createHash('sha256').update(stdout).digest('hex').slice(0, 16);
  return { files: files.length, total, byRule, lines, digest };
}

/**
 * The generated corpus marks each planted mistake with `expect: <rule>`: how many of them the CLI
 * found, and how many findings fall on no marker. (Not a test: a summary of what the rules see.)
 */
function comparePlanted(dir, findings) {
  if (!findings) return undefined;
  const files = listSourceFiles(dir, [...TS_EXTENSIONS, ...PY_EXTENSIONS]);
  const planted = {};
  const found = {};
  const extra = {};
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8').split('\n');
    const marks = new Set();
    text.forEach((l, i) => {
      for (const m of l.matchAll(/expect: ([a-z-]+)/g)) {
        planted[m[1]] = (planted[m[1]] ?? 0) + 1;
        marks.add(`${m[1]}:${i + 1}`);
      }
    });
    const hits = new Set();
    for (const f of findings.lines.get(file) ?? []) {
      const key = `${f.ruleId}:${f.line}`;
      if (marks.has(key)) {
        if (!hits.has(key)) found[f.ruleId] = (found[f.ruleId] ?? 0) + 1;
        hits.add(key);
      } else {
        extra[f.ruleId] = (extra[f.ruleId] ?? 0) + 1;
      }
    }
  }
  const rules = [...new Set([...Object.keys(planted), ...Object.keys(extra)])].sort();
  return Object.fromEntries(
    rules.map((r) => [r, { planted: planted[r] ?? 0, found: found[r] ?? 0, unplanted: extra[r] ?? 0 }]),
  );
}

function hasModule(specifier) {
  try {
    require.resolve(specifier);
    return true;
  } catch {
    return false;
  }
}

/** One CLI run with --stats, to show where the time goes (not timed itself). */
async function statsRun(o, dir) {
  const m = await measure(process.execPath, [o.cli, dir, '--stats', '--format', 'json'], {
    env: o.cliEnv,
    cwd: ROOT,
    timeoutMs: 30 * 60_000,
  });
  if (![0, 1].includes(m.code))
    return {
      ok: false,
      unavailable: `exited with ${m.code}: ${m.stderr.trim().split('\n').slice(-2).join(' | ').slice(0, 300)}`,
    };
  return { ok: true, text: m.stderr.trim() };
}

// ---- output --------------------------------------------------------------------------------

let progressShown = false;
function progress(text) {
  if (!process.stderr.isTTY) return;
  process.stderr.write(`\r\x1b[K${text}`);
  progressShown = true;
}
function clearProgress() {
  if (progressShown) process.stderr.write('\r\x1b[K');
}

const round2 = (x) => (typeof x === 'number' ? Math.round(x * 100) / 100 : x);
const fmtS = (ms) => (typeof ms === 'number' ? `${(ms / 1000).toFixed(2)} s` : '-');
const fmtMs = (ms) => (typeof ms === 'number' ? `${ms.toFixed(0)} ms` : '-');
const fmtMb = (b) => (typeof b === 'number' ? `${Math.round(b / 1048576)} MB` : '-');
const fmtX = (x) => (typeof x === 'number' ? `${x.toFixed(2)}x` : '-');
const num = (n) => n.toLocaleString('en-US');

function table(rows) {
  const widths = [];
  for (const r of rows)
    if (Array.isArray(r)) for (const [i, c] of r.entries()) widths[i] = Math.max(widths[i] ?? 0, String(c).length);
  return rows
    .map((r) =>
      Array.isArray(r)
        ? r
            .map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i])))
            .join('  ')
            .trimEnd()
        : r,
    )
    .join('\n');
}

function report(results, meta, o) {
  const r = results.measurements;
  const out = [];
  out.push(
    `async-lint benchmark: ${meta.machine.cpus} x ${meta.machine.cpuModel}, ${meta.machine.memoryGb} GB, Node ${meta.machine.node}, TypeScript ${meta.typescript}, commit ${meta.commit ?? '?'}`,
  );
  const c = meta.corpus;
  out.push(
    `${c.generated ? `generated corpus (seed ${c.seed})` : `folder ${c.dir}`}: ${c.ts ? `TypeScript ${num(c.ts.files)} files / ${num(c.ts.lines)} lines` : 'no TypeScript'}; ${c.py ? `Python ${num(c.py.files)} files / ${num(c.py.lines)} lines` : 'no Python'}`,
  );
  out.push(`wall: median of ${o.runs} (tsc: ${o.tscRuns}); memory: peak RSS`);
  out.push('');
  const rows = [['', 'wall', 'peak memory', 'vs floor', 'target']];
  const row = (label, m, vs, target) => {
    if (!m) return;
    if (!m.ok) rows.push(`${label}  not available: ${m.unavailable}`);
    else rows.push([label, fmtS(m.wallMs), fmtMb(m.peakRssBytes), vs ?? '', target ?? '']);
  };
  const verdict = (id) => {
    const t = results.targets.find((x) => x.id === id);
    if (!t || t.actual === undefined) return '';
    return `${t.met ? 'met' : 'NOT met'} (<= ${t.limit}${t.unit})`;
  };
  if (r['ts-parse'] || r.tsc || r['cli-ts']) {
    rows.push('TypeScript / JavaScript');
    row('  bare parse (ts.createSourceFile)', r['ts-parse'], 'floor');
    row(
      `  tsc --noEmit`,
      r.tsc,
      r['ts-parse']?.ok && r.tsc?.ok ? `${fmtX(ratio(r.tsc.wallMs, r['ts-parse'].wallMs))} parse` : '',
    );
    row(
      '  async-lint CLI',
      r['cli-ts'],
      r['cli-ts']?.ok
        ? [
            r.tsc?.ok
              ? `${fmtX(ratio(r['cli-ts'].wallMs, r.tsc.wallMs))} tsc time, ${fmtX(ratio(r['cli-ts'].peakRssBytes, r.tsc.peakRssBytes))} tsc memory`
              : '',
            r['ts-parse']?.ok ? `${fmtX(ratio(r['cli-ts'].wallMs, r['ts-parse'].wallMs))} parse` : '',
          ]
            .filter(Boolean)
            .join(', ')
        : '',
      [verdict('cli-ts-time'), verdict('cli-ts-memory')].filter(Boolean).join('; '),
    );
  }
  if (r['py-parse'] || r['cli-py']) {
    rows.push('Python');
    row('  bare parse (web-tree-sitter)', r['py-parse'], 'floor');
    row(
      '  async-lint CLI',
      r['cli-py'],
      r['cli-py']?.ok && r['py-parse']?.ok ? `${fmtX(ratio(r['cli-py'].wallMs, r['py-parse'].wallMs))} parse` : '',
      verdict('cli-py-time'),
    );
  }
  if (rows.length > 1) out.push(table(rows));
  const c6 = r['cli-ts6'];
  const c7 = r['cli-ts7'];
  if (c6 || c7 || r.tsc7) {
    out.push('');
    out.push('Type backends (--type-backend; findings with hints):');
    const rows7 = [];
    const row7 = (label, m, extra) => {
      if (!m) return;
      if (!m.ok) rows7.push(`${label}  not available: ${m.unavailable ?? m.error}`);
      else rows7.push([label, fmtS(m.wallMs), fmtMb(m.peakRssBytes), extra ?? '']);
    };
    row7('  tsc --noEmit of TypeScript 7', r.tsc7, '');
    row7(
      '  CLI, TypeScript 6 (in process)',
      c6,
      c6?.ok && r.tsc7?.ok ? `${fmtX(ratio(c6.wallMs, r.tsc7.wallMs))} tsc 7 time` : '',
    );
    const same =
      c6?.ok && c7?.ok ? (c6.findings.digest === c7.findings.digest ? 'same findings' : 'DIFFERENT findings') : '';
    row7(
      '  CLI, TypeScript 7 (native child process)',
      c7,
      [
        c6?.ok && c7?.ok ? `${fmtX(ratio(c7.wallMs, c6.wallMs))} TS 6 time` : '',
        r.tsc7?.ok && c7?.ok ? `${fmtX(ratio(c7.wallMs, r.tsc7.wallMs))} tsc 7 time` : '',
        same,
      ]
        .filter(Boolean)
        .join(', '),
    );
    out.push(table(rows7));
    if (c7?.ok)
      out.push('  (memory of the TypeScript 7 row is the Node process only: the compiler runs in a child process)');
  }
  const lsp = r.lsp;
  if (lsp) {
    out.push('');
    if (!lsp.ok) {
      out.push(`Language server: not available: ${lsp.unavailable ?? lsp.error}`);
    } else {
      out.push(
        `Language server (${lsp.mode} diagnostics, ${lsp.sync} sync): ${shown(lsp.file, c.dir)}, ${num(lsp.lines)} lines, in a ${c.ts ? num(c.ts.files) : '?'}-file project`,
      );
      out.push(
        table([
          [
            '  first diagnostics after open (cold project)',
            fmtMs(lsp.firstDiagnosticsMs),
            `(${fmtMs(lsp.firstDiagnosticsFromSpawnMs)} from spawn)`,
            verdict('lsp-first'),
          ],
          [
            `  edit -> diagnostics, p50 / p95 of ${lsp.edits} edits`,
            `${fmtMs(lsp.p50Ms)} / ${fmtMs(lsp.p95Ms)}`,
            `(max ${fmtMs(lsp.maxMs)}, after ${lsp.warmup} warm-up edits)`,
            verdict('lsp-p95'),
          ],
          ...(lsp.analysisP50Ms !== undefined
            ? [
                [
                  '  of which analysis (server-reported), p50 / p95',
                  `${fmtMs(lsp.analysisP50Ms)} / ${fmtMs(lsp.analysisP95Ms)}`,
                  '',
                  '',
                ],
              ]
            : []),
          [
            '  server memory after the edits (RSS / peak)',
            `${fmtMb(lsp.serverRssBytes)} / ${fmtMb(lsp.serverPeakRssBytes)}`,
            '',
            '',
          ],
        ]),
      );
    }
  }
  const planted = results.planted;
  if (planted && Object.keys(planted).length > 0) {
    out.push('');
    out.push('Planted mistakes found by the CLI (corpus `expect:` markers; found / planted, + findings elsewhere):');
    out.push(
      `  ${Object.entries(planted)
        .map(([k, v]) => `${k} ${v.found}/${v.planted}${v.unplanted ? ` +${v.unplanted}` : ''}`)
        .join(', ')}`,
    );
  }
  if (results.stats) {
    out.push('');
    for (const [which, s] of Object.entries(results.stats)) {
      if (!s.ok) out.push(`--stats (${which}): not available: ${s.unavailable}`);
      else
        out.push(
          `--stats (${which}):\n${s.text
            .split('\n')
            .map((l) => `  ${l}`)
            .join('\n')}`,
        );
    }
  }
  return out.join('\n');
}

// ---- main ----------------------------------------------------------------------------------

/** Bundles the CLI and the server as shipped into the benchmark's own folder; returns it. */
function build(o) {
  const out = path.join(os.tmpdir(), 'async-lint-bench-dist');
  progress('building the bundles');
  fs.rmSync(out, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [path.join(ROOT, 'esbuild.mjs'), ...(o.minify ? ['--production'] : []), '--outdir', out],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return out;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const dist = o.dist ?? (o.cli && o.server ? undefined : build(o));
  o.cli ??= path.join(dist, 'cli.js');
  o.server ??= path.join(dist, 'server.js');
  let target;
  if (o.dir) {
    if (!fs.existsSync(o.dir)) throw new Error(`no such folder: ${o.dir}`);
    const tsFiles = listSourceFiles(o.dir, TS_EXTENSIONS);
    const pyFiles = listSourceFiles(o.dir, PY_EXTENSIONS);
    const largest = [...tsFiles].sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
    target = {
      generated: false,
      dir: o.dir,
      tsDir: tsFiles.length ? o.dir : undefined,
      pyDir: pyFiles.length ? o.dir : undefined,
      largeFile: o.lspFile ?? largest,
      ts: tsFiles.length ? sizeOf(tsFiles) : undefined,
      py: pyFiles.length ? sizeOf(pyFiles) : undefined,
    };
    if (tsFiles.length && pyFiles.length) {
      console.error('note: the folder has both TypeScript and Python files; each CLI row lints all of them.');
    }
  } else {
    const corpus = ensureCorpus(o.corpus, { seed: o.seed, domains: o.domains });
    target = {
      generated: true,
      seed: corpus.seed,
      dir: o.corpus,
      tsDir: corpus.tsDir,
      pyDir: corpus.pyDir,
      largeFile: o.lspFile ?? corpus.largeFile,
      ts: sizeOf(listSourceFiles(corpus.tsDir, TS_EXTENSIONS)),
      py: sizeOf(listSourceFiles(corpus.pyDir, PY_EXTENSIONS)),
    };
  }

  const measurements = await runJobs(plan(o, target), o);
  const want = (id) => o.only.includes(id) && !o.skip.includes(id);

  if (want('lsp') && target.largeFile) {
    if (!fs.existsSync(o.server)) {
      measurements.lsp = {
        ok: false,
        unavailable: `the server is not built (${path.relative(ROOT, o.server)} missing: npm run build)`,
      };
    } else {
      progress('lsp: open, edits');
      const lsp = await measureLsp({
        serverJs: o.server,
        file: target.largeFile,
        workspace: target.tsDir ?? target.dir,
        edits: o.edits,
        warmup: o.warmup,
        mode: o.lspMode,
        env: o.cliEnv,
      });
      measurements.lsp = lsp.ok ? lsp : { ...lsp, unavailable: lsp.error };
    }
  }

  let stats;
  if (want('stats') && fs.existsSync(o.cli)) {
    stats = {};
    for (const [which, dir] of [
      ['TypeScript', target.tsDir],
      ['Python', target.pyDir],
    ]) {
      if (!dir || (target.tsDir === target.pyDir && which === 'Python')) continue;
      progress(`stats: ${which}`);
      stats[which] = await statsRun(o, dir);
    }
  }
  clearProgress();

  const planted = target.generated
    ? {
        ...comparePlanted(target.tsDir, measurements['cli-ts']?.findings),
        ...prefixKeys(comparePlanted(target.pyDir, measurements['cli-py']?.findings), 'py:'),
      }
    : undefined;
  for (const m of Object.values(measurements))
    if (m.findings) m.findings = { files: m.findings.files, total: m.findings.total, byRule: m.findings.byRule };

  const targets = TARGETS.map((t) => {
    const actual = t.value(measurements);
    return {
      id: t.id,
      text: t.text,
      limit: t.limit,
      unit: t.unit,
      actual: round2(actual),
      met: actual === undefined ? undefined : actual <= t.limit,
    };
  });
  const meta = {
    date: new Date().toISOString(),
    label: o.label,
    commit: gitCommit(),
    typescript: require('typescript/package.json').version,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model.trim() ?? '?',
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      loadAverage: os.loadavg().map(round2),
    },
    options: {
      runs: o.runs,
      tscRuns: o.tscRuns,
      edits: o.edits,
      warmup: o.warmup,
      lspMode: o.lspMode,
      cliEnv: o.cliEnv,
      build: o.dist ? shown(o.dist) : o.minify ? 'esbuild --production' : 'esbuild (not minified)',
    },
    corpus: { generated: target.generated, seed: target.seed, dir: shown(target.dir), ts: target.ts, py: target.py },
  };
  const results = { ...meta, measurements, targets, planted, stats };
  const text = report(results, meta, o);
  console.log(text);
  fs.mkdirSync(path.dirname(o.out), { recursive: true });
  fs.writeFileSync(o.out, `${JSON.stringify({ ...results, table: text }, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(process.cwd(), o.out)}`);
}

/** A path for people: relative to the repository, or to `base`, when inside it. */
function shown(p, base) {
  const rel = (from) => {
    const r = path.relative(from, p);
    return r && !r.startsWith('..') && !path.isAbsolute(r) ? r : undefined;
  };
  return rel(ROOT) ?? (base && rel(base)) ?? p;
}

function prefixKeys(obj, prefix) {
  if (!obj) return {};
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [`${prefix}${k}`, v]));
}

function gitCommit() {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return dirty ? `${sha}+changes` : sha;
  } catch {
    return undefined;
  }
}

main().catch((e) => {
  clearProgress();
  console.error(`bench: ${e?.message ?? e}`);
  process.exit(2);
});
