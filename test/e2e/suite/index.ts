// Entry point the extension host calls (extensionTestsPath): runs the end-to-end mocha suite
// inside a real VS Code (code-server) against the installed extension. Bundled by
// scripts/e2e/run.sh into the run folder; `mocha` is loaded from the repository's node_modules.
import path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 120000, color: false, reporter: 'spec' });
  mocha.addFile(path.join(__dirname, 'extension.e2e.js'));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} end-to-end test(s) failed`)) : resolve()));
  });
}
