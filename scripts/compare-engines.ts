// Lints TS/JS files with both type backends (TypeScript 6 in process, TypeScript 7 native) and
// prints every finding that differs, with each backend's time and counters. A development aid for
// the type backend work; the test (test/typebackend.test.ts) does the same on the fixtures.
// Every rule is on at its default severity, also in test code, hints included.
// usage: npx tsx scripts/compare-engines.ts <folder or file>...
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ConfigResolver } from '../server/src/engine/config';
import { Linter } from '../server/src/engine/linter';
import { RULES } from '../server/src/engine/rules';
import { TypeScriptBackend } from '../server/src/typescript/backend';
import { Ts6Engine, Ts7Engine } from '../server/src/typescript/engine';
import { ProjectHost } from '../server/src/typescript/host';
import { TS_EXTENSIONS } from '../server/src/typescript/language';

function files(p: string): string[] {
  if (fs.statSync(p).isFile()) return [path.resolve(p)];
  const out: string[] = [];
  for (const e of fs.readdirSync(p, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const q = path.join(p, e.name);
    if (e.isDirectory()) out.push(...files(q));
    else if ((TS_EXTENSIONS as readonly string[]).includes(path.extname(e.name)) && !/\.d\.[cm]?ts$/.test(e.name))
      out.push(path.resolve(q));
  }
  return out.sort();
}

const all = process.argv.slice(2).flatMap(files);
const diskFs = {
  readFile(f: string): string | undefined {
    try {
      return fs.readFileSync(f, 'utf8');
    } catch {
      return undefined;
    }
  },
};
const resolver = new ConfigResolver(diskFs, {
  ruleOverrides: Object.fromEntries(RULES.map((r) => [r.id, r.defaultSeverity])),
});

function lintAll(kind: 'typescript6' | 'typescript7'): Map<string, string[]> {
  const host = new ProjectHost();
  const engine = kind === 'typescript6' ? new Ts6Engine(host) : new Ts7Engine(host);
  const backend = new TypeScriptBackend(host, undefined, engine);
  const linter = new Linter([backend]);
  const t0 = performance.now();
  backend.prepare(all);
  const out = new Map<string, string[]>();
  for (const f of all) {
    const r = linter.lint(f, fs.readFileSync(f, 'utf8'), resolver.forFile(f));
    const lines = r.findings.map(
      (x) =>
        `${x.range.start.line + 1}:${x.range.start.character + 1} ${x.ruleId} ${x.message} ${JSON.stringify(x.fixes)}`,
    );
    if (r.skipped) lines.push(`skipped: ${r.skipped.message.slice(0, 200)}`);
    for (const failure of r.ruleFailures) lines.push(`rule failure: ${failure.ruleId} ${failure.error.slice(0, 300)}`);
    out.set(f, lines);
  }
  console.error(`${kind}: ${(performance.now() - t0).toFixed(0)} ms ${backend.statsNotes().join(' ')}`);
  linter.dispose();
  return out;
}

const six = lintAll('typescript6');
const seven = lintAll('typescript7');
let differences = 0;
let total = 0;
for (const f of all) {
  const a = six.get(f)!;
  const b = seven.get(f)!;
  total += a.length;
  const rel = path.relative(process.cwd(), f);
  for (const [mine, theirs, who] of [
    [a, b, 'TS 6'],
    [b, a, 'TS 7'],
  ] as const) {
    for (const l of mine) {
      if (theirs.includes(l)) continue;
      console.log(`${who} only: ${rel}:${l}`);
      differences++;
    }
  }
}
console.log(`${all.length} files, ${total} findings with TypeScript 6, ${differences} differences`);
process.exitCode = differences > 0 ? 1 : 0;
