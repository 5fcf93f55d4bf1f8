// Shared test helpers: a linter over the real backends, configuration that enables one rule,
// and the fixture conventions.
import fs from 'node:fs';
import path from 'node:path';
import { ConfigResolver, type ResolvedConfig } from '../server/src/engine/config';
import type { Linter } from '../server/src/engine/linter';
import { RULES } from '../server/src/engine/rules';
import type { SeverityOrOff } from '../server/src/engine/types';
import { createLinter } from '../server/src/languages';

export const ROOT = path.resolve(__dirname, '..');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');

let shared: Linter | undefined;
/** One linter for the whole test run (the TypeScript fixtures share one program). */
export async function testLinter(): Promise<Linter> {
  if (!shared) {
    shared = createLinter();
    await shared.ready();
  }
  return shared;
}

const diskFs = {
  readFile(f: string): string | undefined {
    try {
      return fs.readFileSync(f, 'utf8');
    } catch {
      return undefined;
    }
  },
};

/** Configuration with only `ruleId` on (at its default severity), for the file at `file`. */
export function onlyRule(ruleId: string, file: string): ResolvedConfig {
  const overrides: Record<string, SeverityOrOff> = {};
  for (const r of RULES) overrides[r.id] = r.id === ruleId ? r.defaultSeverity : 'off';
  return new ConfigResolver(diskFs, { ruleOverrides: overrides }).forFile(file);
}

/** `expect: rule-id` markers, in any comment syntax: line (0-based) -> count. */
export function expectedLines(text: string, ruleId: string): Map<number, number> {
  const out = new Map<number, number>();
  const marker = new RegExp(`expect: *${ruleId.replace(/-/g, '\\-')}\\b`, 'g');
  text.split(/\r\n|\r|\n/).forEach((line, i) => {
    const n = (line.match(marker) ?? []).length;
    if (n > 0) out.set(i, n);
  });
  return out;
}

export function listFiles(dir: string, filter: (f: string) => boolean): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && filter(e.name))
    .map((e) => path.join(dir, e.name))
    .sort();
}

export const SOURCE_FILE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs|py)$/;
/** Expected output of a fix case: `name.fixed.ts` beside `name.ts`. */
export const FIXED_FILE = /\.fixed\.[a-z]+$/;

/** A stream the CLI can write to (its `Io` stdout/stderr), keeping what it was given in `text`. */
export interface CapturedStream {
  text: string;
  isTTY: boolean;
  columns?: number;
  write(s: string): boolean;
}

export function captureStream(columns?: number, isTTY = false): CapturedStream {
  const stream: CapturedStream = {
    text: '',
    isTTY,
    columns,
    write: (s: string) => {
      stream.text += s;
      return true;
    },
  };
  return stream;
}

/** Writes `files` (relative path -> text) under `dir`, making folders as needed. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
}
