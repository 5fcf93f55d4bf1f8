// One run of a type backend over a TypeScript project, for bench/run.mjs (bundled by it first):
// the project's files, each parsed for the rules and asked, in one batch per file, whether each
// expression statement's value must be awaited (the question behind `unawaited`, which dominates
// the rules' checker time). Prints the answers' counts and a digest of every answer, so two
// backends can be compared, and for TypeScript 7 the peak memory of its child process.
// usage: node typebackend-run.js typescript6|typescript7 <project dir>
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import ts from 'typescript';
import { awaitCandidates, createTypeBackend, type TypeBackendKind } from '../server/src/typescript/typebackend';

const TS_FILE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

function projectFiles(dir: string): string[] {
  const config = path.join(dir, 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(config, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (!parsed) throw new Error(`cannot read ${config}`);
  return parsed.fileNames.filter((f) => TS_FILE.test(f) && !f.endsWith('.d.ts')).map((f) => path.resolve(f));
}

/** Peak RSS of this process's child processes (the native compiler), from /proc. */
function childrenPeakRss(): number | undefined {
  try {
    let total = 0;
    for (const task of fs.readdirSync(`/proc/${process.pid}/task`)) {
      const children = fs.readFileSync(`/proc/${process.pid}/task/${task}/children`, 'utf8').trim();
      for (const pid of children ? children.split(/\s+/) : []) {
        const m = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
        if (m) total += Number(m[1]) * 1024;
      }
    }
    return total;
  } catch {
    return undefined;
  }
}

function main(): void {
  const kind = process.argv[2] as TypeBackendKind;
  const dir = path.resolve(process.argv[3] ?? '.');
  if (kind !== 'typescript6' && kind !== 'typescript7') throw new Error('usage: typebackend-run typescript6|typescript7 <dir>');
  const t0 = performance.now();
  const backend = createTypeBackend(kind, { cwd: dir });
  const files = projectFiles(dir);
  const counts = { always: 0, never: 0, may: 0 };
  const digest = createHash('sha256');
  let candidates = 0;
  for (const file of files) {
    const sf = backend.sourceFile(file);
    const nodes = awaitCandidates(sf);
    const answers = backend.awaitability(sf, nodes);
    candidates += nodes.length;
    answers.forEach((a, i) => {
      counts[a]++;
      digest.update(`${path.relative(dir, file)}:${nodes[i].pos}:${a}\n`);
    });
  }
  const childPeakRssBytes = kind === 'typescript7' ? childrenPeakRss() : undefined;
  backend.dispose();
  console.log(JSON.stringify({ kind, files: files.length, candidates, counts, digest: digest.digest('hex').slice(0, 16), ms: Math.round(performance.now() - t0), childPeakRssBytes }));
}

main();
