// Runs a command and measures its wall time (spawn to exit) and peak memory. Peak memory comes
// from peak-rss.cjs, preloaded into every Node process of the run; a run that spawns Node children
// counts the parent's peak plus each child's (an upper bound: their peaks may not coincide).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const PRELOAD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'peak-rss.cjs');

/**
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: Record<string, string>, timeoutMs?: number }} [options]
 * @returns {Promise<{ wallMs: number, peakRssBytes: number | undefined, code: number | null, signal: string | null, stdout: string, stderr: string, timedOut: boolean }>}
 */
export function measure(command, args, options = {}) {
  const rssFile = path.join(
    os.tmpdir(),
    `async-lint-bench-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.rss`,
  );
  const nodeOptions = [process.env.NODE_OPTIONS ?? '', `--require=${JSON.stringify(PRELOAD).slice(1, -1)}`]
    .join(' ')
    .trim();
  const env = { ...process.env, ...options.env, NODE_OPTIONS: nodeOptions, BENCH_RSS_OUT: rssFile };
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command, args, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    let wallMs = 0;
    let timedOut = false;
    const timer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, options.timeoutMs)
      : undefined;
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      reject(e);
    });
    child.on('exit', () => {
      wallMs = performance.now() - t0;
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({
        wallMs,
        peakRssBytes: readPeak(rssFile),
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        timedOut,
      });
    });
  });
}

function readPeak(file) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
    fs.rmSync(file, { force: true });
  } catch {
    return undefined;
  }
  const rows = text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  if (rows.length === 0) return undefined;
  // The spawned process itself, plus any Node processes it started.
  return rows.reduce((sum, r) => sum + r.maxRssKb, 0) * 1024;
}

/** Median of numbers (the mean of the middle two for an even count). */
export function median(xs) {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return undefined;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The p-th percentile (0-100) by nearest rank. */
export function percentile(xs, p) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return undefined;
  const rank = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[rank];
}
