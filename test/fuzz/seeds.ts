// The fuzz corpus: every rule fixture, fix case, regression input and example in the repository,
// plus the seeds in test/fuzz/seeds/ (one file per language touching every rule's patterns), so
// the fuzzer starts from code the rules have something to say about.
import fs from 'node:fs';
import path from 'node:path';
import type { Lang } from './mutate';

export const ROOT = path.resolve(__dirname, '..', '..');

export interface Seed {
  /** Relative to the repository root. */
  name: string;
  /** Extension with the dot, e.g. `.tsx`: the fuzzer lints a mutated seed under the same kind of name. */
  ext: string;
  text: string;
}

export const EXTENSIONS: Record<Lang, readonly string[]> = {
  typescript: ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'],
  python: ['.py'],
};

const SEED_DIRS = ['test/fuzz/seeds', 'test/fixtures', 'test/cli-fixtures', 'examples'];
/** Larger than this is not a seed: mutations can add size, they should not start from it. */
const MAX_SEED_BYTES = 64 * 1024;

/** Every seed of a language, sorted by name so a run is reproducible from its fast-check seed. */
export function loadSeeds(lang: Lang): Seed[] {
  const exts = new Set(EXTENSIONS[lang]);
  const out: Seed[] = [];
  // Explicit stack: the walk never recurses, and a symlink loop is not followed (lstat).
  const stack = SEED_DIRS.map((d) => path.join(ROOT, d)).filter((d) => fs.existsSync(d));
  while (stack.length > 0) {
    const dir = stack.pop()!;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') stack.push(full);
        continue;
      }
      if (!entry.isFile()) continue;
      const ext = path.extname(entry.name).toLowerCase();
      if (!exts.has(ext)) continue;
      if (fs.statSync(full).size > MAX_SEED_BYTES) continue;
      out.push({ name: path.relative(ROOT, full), ext, text: fs.readFileSync(full, 'utf8') });
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
