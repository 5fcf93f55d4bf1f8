// Which files of a folder a benchmark reads: source files by extension, skipping dependency,
// build and hidden folders (as a linter run on the folder would). Iterative walk.
import fs from 'node:fs';
import path from 'node:path';

export const TS_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
export const PY_EXTENSIONS = ['.py', '.pyi'];
const SKIP_DIRS = new Set(['node_modules', '__pycache__', 'venv', 'dist', 'build', 'out', 'coverage', 'site-packages']);

/** Files under `root` whose extension is in `extensions`, sorted. */
export function listSourceFiles(root, extensions) {
  const exts = new Set(extensions);
  const out = [];
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop();
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) stack.push(p);
      } else if (e.isFile() && exts.has(path.extname(e.name).toLowerCase()) && !e.name.endsWith('.d.ts')) {
        out.push(p);
      }
    }
  }
  return out.sort();
}

/** Lines and bytes of a list of files. */
export function sizeOf(files) {
  let lines = 0;
  let bytes = 0;
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    bytes += Buffer.byteLength(text);
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
    if (text.length > 0 && !text.endsWith('\n')) lines++;
  }
  return { files: files.length, lines, bytes };
}
