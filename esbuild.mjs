// Bundles the CLI, the language server and the VS Code client into dist/.
// usage: node esbuild.mjs [--watch] [--production] [--outdir DIR] [--only cli|server|client]
// (--outdir and --only let tests bundle the server from the current sources into a folder of their own)
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const argValue = (name) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const dist = path.resolve(argValue('--outdir') ?? 'dist');
const only = argValue('--only');

/**
 * The TypeScript bundled must carry our patch (patches/typescript+*.patch, applied by patch-package
 * on npm install): unpatched, its JSDoc scanner loops forever on a comment ending in `word-*\/`
 * (microsoft/TypeScript#63580), and a server built from it would hang on such a file.
 */
function checkTypeScriptPatched() {
  const source = fs.readFileSync(require.resolve('typescript/lib/typescript.js'), 'utf8');
  if (
    source.includes(
      'while (pos < end && isIdentifierPart(char = codePointUnchecked(pos), languageVersion) || char === 45 /* minus */)',
    )
  ) {
    throw new Error(
      'node_modules/typescript is not patched (run `npx patch-package`, or npm install without --ignore-scripts)',
    );
  }
}

/** Files the bundles load at run time: TypeScript's lib .d.ts files, web-tree-sitter and the wasm files. */
function copyRuntimeAssets() {
  fs.mkdirSync(dist, { recursive: true });
  const tsLib = path.dirname(require.resolve('typescript/lib/typescript.js'));
  for (const f of fs.readdirSync(tsLib)) {
    if (/^lib\..*\.d\.ts$/.test(f)) fs.copyFileSync(path.join(tsLib, f), path.join(dist, f));
  }
  const wasms = [
    // Loaded by path, not bundled, so the server can load a new copy after a crash (python/parser.ts).
    require.resolve('web-tree-sitter'),
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
  // TypeScript probes for optional modules it never needs here. TypeScript 7 (the `typescript7`
  // dev dependency) is loaded from node_modules when the CLI uses it: it finds its native binary
  // beside its own package.
  external: ['perf_hooks', 'source-map-support', 'inspector', 'typescript7', 'typescript7/*'],
  // web-tree-sitter is ESM and calls createRequire(import.meta.url); in a CJS bundle that URL is
  // the bundle's own.
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  // The repository a bundle is built from: where a bundle built outside it (tests, the benchmark)
  // finds async-lint's own typescript7 package (server/src/typescript/ts7-available.ts).
  define: {
    'import.meta.url': '__importMetaUrl',
    __ASYNC_LINT_BUILD_ROOT__: JSON.stringify(path.dirname(new URL(import.meta.url).pathname)),
  },
};

/**
 * The CLI and the server load the TypeScript compiler from a file of its own, dist/typescript.js,
 * beside them: a CLI run over Python files alone then never reads or compiles the compiler's source
 * (most of the bundle; the backend requires it only when a TypeScript file is linted), and the npm
 * package and the .vsix, which ship both bundles, carry the compiler once.
 */
const typescriptApart = {
  name: 'typescript-apart',
  setup(build) {
    build.onResolve({ filter: /^typescript$/ }, () => ({ path: './typescript.js', external: true }));
  },
};

const entries = [
  {
    names: ['cli'],
    entryPoints: ['server/src/cli.ts'],
    outfile: path.join(dist, 'cli.js'),
    plugins: [typescriptApart],
  },
  { names: ['cli', 'server'], entryPoints: [require.resolve('typescript')], outfile: path.join(dist, 'typescript.js') },
  // The CLI's Python parse pool (python/parse-pool.ts) starts its worker threads from this file.
  {
    names: ['cli'],
    entryPoints: ['server/src/python/parse-worker.ts'],
    outfile: path.join(dist, 'python-parse-worker.js'),
  },
  {
    names: ['server'],
    entryPoints: ['server/src/server.ts'],
    outfile: path.join(dist, 'server.js'),
    plugins: [typescriptApart],
  },
  {
    names: ['client'],
    entryPoints: ['client/src/extension.ts'],
    outfile: path.join(dist, 'client.js'),
    external: ['vscode'],
  },
].filter((e) => fs.existsSync(e.entryPoints[0]) && (!only || e.names.includes(only)));

checkTypeScriptPatched();
copyRuntimeAssets();
const contexts = await Promise.all(
  entries.map((e) =>
    esbuild.context({
      ...common,
      entryPoints: e.entryPoints,
      outfile: e.outfile,
      external: [...common.external, ...(e.external ?? [])],
      plugins: e.plugins ?? [],
    }),
  ),
);
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
