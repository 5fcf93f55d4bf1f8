// Lints files with both type engines and prints the findings that differ (a development aid).
// usage: npx tsx scripts/compare-engines.ts <dir or file>...
import fs from 'node:fs';
import path from 'node:path';
import { ConfigResolver } from '../server/src/engine/config';
import { Linter } from '../server/src/engine/linter';
import { Ts6Engine, Ts7Engine } from '../server/src/typescript/engine';
import { TypeScriptBackend } from '../server/src/typescript/backend';
import { ProjectHost } from '../server/src/typescript/host';
import { RULES } from '../server/src/engine/rules';

const TS_FILE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
function files(p: string): string[] {
  const st = fs.statSync(p);
  if (st.isFile()) return [path.resolve(p)];
  const out: string[] = [];
  for (const e of fs.readdirSync(p, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.') || e.name === 'regressions') continue;
    const q = path.join(p, e.name);
    if (e.isDirectory()) out.push(...files(q));
    else if (TS_FILE.test(e.name) && !/\.d\.[cm]?ts$/.test(e.name)) out.push(path.resolve(q));
  }
  return out.sort();
}
const all = process.argv.slice(2).flatMap(files);
const diskFs = { readFile: (f: string) => { try { return fs.readFileSync(f, 'utf8'); } catch { return undefined; } } };
const overrides: Record<string, 'hint'> = {};
const resolver = new ConfigResolver(diskFs, {});
function run(kind: 'typescript6' | 'typescript7'): Map<string, string[]> {
  const host = new ProjectHost();
  const engine = kind === 'typescript6' ? new Ts6Engine(host) : new Ts7Engine(host);
  const backend = new TypeScriptBackend(host, undefined, engine);
  const linter = new Linter([backend]);
  const t0 = Date.now();
  backend.prepare(all);
  const out = new Map<string, string[]>();
  for (const f of all) {
    const text = fs.readFileSync(f, 'utf8');
    const r = linter.lint(f, text, resolver.forFile(f));
    const lines = r.findings.map((x) => `${x.range.start.line + 1}:${x.range.start.character + 1} ${x.ruleId} ${x.message} ${JSON.stringify(x.fixes.map((fx) => [fx.title, fx.edits]))}`);
    if (r.skipped) lines.push(`skipped ${r.skipped.message.slice(0, 200)}`);
    for (const rf of r.ruleFailures) lines.push(`failure ${rf.ruleId} ${String(rf.error).slice(0, 300)}`);
    out.set(f, lines);
  }
  console.error(kind, `${Date.now() - t0} ms`, JSON.stringify(engine.counters()));
  engine.dispose();
  return out;
}
void overrides; void RULES;
const a = run('typescript6');
const b = run('typescript7');
let diffs = 0, total = 0;
for (const f of all) {
  const x = a.get(f)!, y = b.get(f)!;
  total += x.length;
  const sx = new Set(x), sy = new Set(y);
  for (const l of x) if (!sy.has(l)) { console.log(`- ${path.relative(process.cwd(), f)}:${l}`); diffs++; }
  for (const l of y) if (!sx.has(l)) { console.log(`+ ${path.relative(process.cwd(), f)}:${l}`); diffs++; }
}
console.log(`${all.length} files, ${total} findings (TS 6), ${diffs} differences`);
