// Bundles the CLI, the language server and the VS Code client into dist/.
// usage: node esbuild.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const dist = path.resolve('dist');

/** Files the bundles load at run time: TypeScript's lib .d.ts files and the tree-sitter wasm. */
function copyRuntimeAssets() {
  fs.mkdirSync(dist, { recursive: true });
  const tsLib = path.dirname(require.resolve('typescript/lib/typescript.js'));
  for (const f of fs.readdirSync(tsLib)) {
    if (/^lib\..*\.d\.ts$/.test(f)) fs.copyFileSync(path.join(tsLib, f), path.join(dist, f));
  }
  const wasms = [
    require.resolve('web-tree-sitter/web-tree-sitter.wasm'),
    path.join(path.dirname(require.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm'),
  ];
  for (const w of wasms) fs.copyFileSync(w, path.join(dist, path.basename(w)));
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // The Python parser finds its wasm files beside the bundle first, node_modules only from sources.
  logOverride: { 'require-resolve-not-external': 'silent' },
  // TypeScript probes for optional modules it never needs here.
  external: ['perf_hooks', 'source-map-support', 'inspector'],
  // web-tree-sitter is ESM and calls createRequire(import.meta.url); in a CJS bundle that URL is
  // the bundle's own.
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__importMetaUrl' },
};

const entries = [];
if (fs.existsSync('server/src/cli.ts')) entries.push({ entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js' });
if (fs.existsSync('server/src/server.ts')) entries.push({ entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' });
if (fs.existsSync('client/src/extension.ts')) entries.push({ entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] });

copyRuntimeAssets();
const contexts = await Promise.all(entries.map((e) => esbuild.context({ ...common, ...e, external: [...common.external, ...(e.external ?? [])] })));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
