// npm's `prepare` script. npm runs it in two situations:
//
// - after `npm install` / `npm ci` in a checkout, with the devDependencies installed: it applies
//   patches/ to node_modules (patch-package; see ARCHITECTURE.md, Invariants). `npm run build`
//   makes dist/.
// - while npm packs this folder: `npm pack` and `npm publish`, and an install from git or from a
//   folder (npm sets npm_package_resolved then). The package ships dist/, which git does not
//   hold, so it is also built here, for production. An install from git runs no prepack, hence
//   the build here rather than there.
//
// A *global* install from git (`npm install -g git+https://...`, which is how pre-commit installs
// a `language: node` hook) runs prepare without having installed the devDependencies first
// (npm/cli#8440); they are installed here then, from package-lock.json.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const packing = process.env.npm_package_resolved !== undefined;
const node = (...args) => execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' });

function main() {
  if (packing && !fs.existsSync(path.join(root, 'node_modules', 'patch-package', 'package.json'))) {
    const npm = process.env.npm_execpath;
    if (!npm) throw new Error('the devDependencies are missing and npm_execpath is not set: run `npm ci` first');
    // --global=false and --prefix: a global install passes its settings on to this process.
    node(
      npm,
      'ci',
      '--global=false',
      `--prefix=${root}`,
      '--include=dev',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
    );
  }
  node(path.join(root, 'node_modules', 'patch-package', 'index.js'));
  if (packing) node(path.join(root, 'esbuild.mjs'), '--production');
}

main();
