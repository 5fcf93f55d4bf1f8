#!/usr/bin/env node
// `npm run real-world -- [options] <folder>...`: runs the built CLI (dist/cli.js, -f json) on each
// folder, a real project nobody here wrote, with the folder as the current directory (so it is the
// lint root when the project has no configuration file), and prints per project and rule the
// findings and findings per 10k lines, then a seeded random sample of findings per rule with a
// few lines of context around each, to be judged as the project's maintainers would.
//
// Lines are the non-blank lines of the files the CLI linted: every file in the JSON output that
// was not skipped. Notices (skipped files, rule failures) are counted, not sampled.
//
// Options:
//   --seed N        seed of the sample (default 1): the same seed gives the same sample
//   --sample K      findings sampled per rule (default 20), spread evenly over the projects
//   --context N     lines of context before and after each sampled finding (default 3)
//   --markdown      print the tables as Markdown (for docs/real-world.md) and the sample as a
//                   review list
//   --cli PATH      the CLI to run (default: dist/cli.js beside this script's package)
//   --rule ID=SEV   passed to the CLI (repeatable)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { mulberry32 as random } from '../bench/corpus.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seed: { type: 'string', default: '1' },
    sample: { type: 'string', default: '20' },
    context: { type: 'string', default: '3' },
    markdown: { type: 'boolean', default: false },
    cli: { type: 'string', default: path.join(ROOT, 'dist', 'cli.js') },
    rule: { type: 'string', multiple: true, default: [] },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help || positionals.length === 0) {
  process.stdout.write(
    fs
      .readFileSync(fileURLToPath(import.meta.url), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('//'))
      .map((l) => l.slice(3))
      .join('\n') + '\n',
  );
  process.exit(positionals.length === 0 && !values.help ? 2 : 0);
}
const seed = wholeNumber(values.seed, '--seed');
const sampleSize = wholeNumber(values.sample, '--sample');
const contextLines = wholeNumber(values.context, '--context');
if (!fs.existsSync(values.cli)) fail(`${values.cli} does not exist: run npm run build first`);

function wholeNumber(s, name) {
  if (!/^\d+$/.test(s)) fail(`${name} expects a whole number, got '${s}'`);
  return Number(s);
}

function fail(message) {
  process.stderr.write(`real-world: ${message}\n`);
  process.exit(2);
}

// ---- running ------------------------------------------------------------------------------------

/** One project: its findings, linted files, lines and notices. */
function runProject(folder) {
  const dir = path.resolve(folder);
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) fail(`not a folder: ${folder}`);
  // --include-hints: the CLI leaves hints (unused-async by default) out unless asked; count them too.
  const args = [
    values.cli,
    '-f',
    'json',
    '--include-hints',
    '--max-warnings',
    '-1',
    ...values.rule.flatMap((r) => ['--rule', r]),
    '.',
  ];
  const t0 = Date.now();
  const r = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', maxBuffer: 2 ** 31 - 1 });
  const seconds = (Date.now() - t0) / 1000;
  if (r.error) fail(`${folder}: ${r.error.message}`);
  let files;
  try {
    files = JSON.parse(r.stdout);
  } catch {
    fail(`${folder}: the CLI exited ${r.status} without JSON:\n${r.stderr}`);
  }
  const findings = [];
  const notices = [];
  let lines = 0;
  let linted = 0;
  const texts = new Map();
  for (const f of files) {
    const fileNotices = f.messages.filter((m) => m.line === undefined);
    const skipped = fileNotices.some((m) => /^(skipped|File ignored)/.test(m.message));
    for (const m of fileNotices) notices.push({ file: f.filePath, message: m.message });
    if (skipped) continue;
    linted++;
    const text = readText(f.filePath);
    lines += countLines(text);
    for (const m of f.messages) {
      if (m.line === undefined || !m.ruleId) continue;
      texts.set(f.filePath, text);
      findings.push({
        file: f.filePath,
        rel: path.relative(dir, f.filePath),
        line: m.line,
        column: m.column,
        ruleId: m.ruleId,
        level: m.level,
        message: m.message,
      });
    }
  }
  return { name: path.basename(dir), dir, findings, notices, lines, files: linted, seconds, exit: r.status, texts };
}

function readText(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Non-blank lines. */
function countLines(text) {
  let n = 0;
  for (const line of text.split(/\r\n|\r|\n/)) if (line.trim() !== '') n++;
  return n;
}

// ---- sampling -----------------------------------------------------------------------------------

function shuffle(list, next) {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Up to `k` findings of a rule, taken in turn from each project's shuffled findings. */
function sampleRule(projects, ruleId, k, next) {
  const queues = projects.map((p) =>
    shuffle(
      p.findings.filter((f) => f.ruleId === ruleId),
      next,
    ).map((f) => ({ ...f, project: p })),
  );
  const out = [];
  while (out.length < k && queues.some((q) => q.length > 0)) {
    for (const q of queues) if (q.length > 0 && out.length < k) out.push(q.shift());
  }
  return out;
}

function context(f) {
  const lines = f.project.texts.get(f.file).split(/\r\n|\r|\n/);
  const from = Math.max(1, f.line - contextLines);
  const to = Math.min(lines.length, f.line + contextLines);
  const width = String(to).length;
  const out = [];
  for (let n = from; n <= to; n++)
    out.push(`${n === f.line ? '>' : ' '} ${String(n).padStart(width)} | ${lines[n - 1]}`);
  return out.join('\n');
}

// ---- output -------------------------------------------------------------------------------------

const projects = positionals.map((folder) => {
  process.stderr.write(`real-world: linting ${folder}\n`);
  return runProject(folder);
});
// Every rule the CLI knows (its --help lists them), then any other id found, so a rule with no
// findings shows as 0.
const help = spawnSync(process.execPath, [values.cli, '--help'], { encoding: 'utf8' }).stdout ?? '';
const known =
  help
    .split(/\nRules:\n/)[1]
    ?.split('\n')
    .map((l) => /^ {2}([a-z][a-z-]+) /.exec(l)?.[1])
    .filter(Boolean) ?? [];
const rules = [...new Set([...known, ...projects.flatMap((p) => p.findings.map((f) => f.ruleId)).sort()])];
const count = (p, rule) => p.findings.filter((f) => f.ruleId === rule).length;
const per10k = (n, lines) => (lines > 0 ? ((10000 * n) / lines).toFixed(1) : '-');
const totalLines = projects.reduce((n, p) => n + p.lines, 0);
const total = (rule) => projects.reduce((n, p) => n + count(p, rule), 0);
const fmt = (n) => n.toLocaleString('en-US');

function table(header, rows, markdown) {
  if (markdown)
    return [
      `| ${header.join(' | ')} |`,
      `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
      ...rows.map((r) => `| ${r.join(' | ')} |`),
    ].join('\n');
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) =>
    r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

const md = values.markdown;
const out = [];
for (const p of projects) {
  out.push(md ? `### ${p.name}` : `== ${p.name} (${p.dir})`);
  out.push(
    `${fmt(p.files)} files, ${fmt(p.lines)} non-blank lines, ${p.findings.length} findings, ${p.notices.length} notices, ${p.seconds.toFixed(1)} s (exit ${p.exit})`,
  );
  out.push('');
  const mine = rules.filter((r) => count(p, r) > 0);
  out.push(
    table(
      ['rule', 'findings', 'per 10k lines'],
      mine.map((r) => [md ? `\`${r}\`` : r, fmt(count(p, r)), per10k(count(p, r), p.lines)]),
      md,
    ),
  );
  out.push('');
}
out.push(md ? '### All projects' : '== all projects');
out.push('');
out.push(
  table(
    ['rule', ...projects.map((p) => p.name), 'total', 'per 10k lines'],
    [
      ...rules.map((r) => [
        md ? `\`${r}\`` : r,
        ...projects.map((p) => fmt(count(p, r))),
        fmt(total(r)),
        per10k(total(r), totalLines),
      ]),
      [
        'all rules',
        ...projects.map((p) => fmt(p.findings.length)),
        fmt(projects.reduce((n, p) => n + p.findings.length, 0)),
        per10k(
          projects.reduce((n, p) => n + p.findings.length, 0),
          totalLines,
        ),
      ],
      ['lines', ...projects.map((p) => fmt(p.lines)), fmt(totalLines), ''],
    ],
    md,
  ),
);
out.push('');

if (sampleSize > 0) {
  const next = random(seed);
  out.push(
    md
      ? `### Sample (seed ${seed}, up to ${sampleSize} per rule)`
      : `== sample (seed ${seed}, up to ${sampleSize} per rule)`,
  );
  for (const rule of rules) {
    const picked = sampleRule(projects, rule, sampleSize, next);
    out.push('');
    out.push(
      md ? `#### \`${rule}\` (${picked.length} of ${total(rule)})` : `-- ${rule}: ${picked.length} of ${total(rule)}`,
    );
    for (const f of picked) {
      out.push('');
      out.push(
        md
          ? `- [ ] ${f.project.name} \`${f.rel}:${f.line}\`: ${f.message}`
          : `[${f.project.name}] ${f.rel}:${f.line}:${f.column} ${f.level}: ${f.message}`,
      );
      out.push(
        md
          ? [
              '  ```',
              ...context(f)
                .split('\n')
                .map((l) => `  ${l}`),
              '  ```',
            ].join('\n')
          : context(f),
      );
    }
  }
  out.push('');
}
process.stdout.write(out.join('\n'));
