// The injection grammar (syntaxes/) that highlights async-lint directives in comments, tested with
// vscode-tmgrammar-test against the real TypeScript, TSX, JavaScript and Python grammars (from the
// tm-grammars package) and the grammar contribution of our package.json (injectTo).
// The cases are test/grammar/directives.*: source lines followed by `^^^ scope` assertion lines.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RULE_IDS } from '../server/src/engine/rules';
import { ROOT } from './helpers';

const GRAMMAR = path.join(ROOT, 'syntaxes/async-lint-directive.injection.tmLanguage.json');
const BASE = path.join(ROOT, 'node_modules/tm-grammars/grammars');
const CASES = ['directives.mts', 'directives.tsx', 'directives.js', 'directives.jsx', 'directives.py'];

function runGrammarTests(cwd: string, cases: string[]): Promise<{ code: number; output: string }> {
  const cli = path.join(ROOT, 'node_modules/vscode-tmgrammar-test/dist/unit.js');
  const args = [
    cli,
    ...['typescript', 'tsx', 'javascript', 'jsx', 'python'].flatMap((g) => ['-g', path.join(BASE, `${g}.json`)]),
    ...cases,
  ];
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, output: stdout + stderr });
    });
  });
}

describe('directive highlighting grammar', function () {
  this.timeout(60000);

  it('passes every assertion in the TS, TSX, JS, JSX and Python cases', async () => {
    const { code, output } = await runGrammarTests(
      ROOT,
      CASES.map((c) => `test/grammar/${c}`),
    );
    assert.equal(code, 0, output);
    for (const c of CASES) assert.match(output, new RegExp(`✓ test/grammar/${c.replace('.', '\\.')} run successfuly`));
  });

  it('fails when the grammar does not mark what the cases expect (the assertions bite)', async () => {
    // A copy of the extension folder whose grammar names the directive scope differently.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lint-grammar-'));
    fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
    fs.mkdirSync(path.join(dir, 'syntaxes'));
    const broken = fs
      .readFileSync(GRAMMAR, 'utf8')
      .replace(/keyword\.other\.directive\.async-lint/g, 'keyword.other.something-else');
    fs.writeFileSync(path.join(dir, 'syntaxes', path.basename(GRAMMAR)), broken);
    fs.copyFileSync(path.join(ROOT, 'test/grammar/directives.py'), path.join(dir, 'directives.py'));
    const { code, output } = await runGrammarTests(dir, ['directives.py']).finally(() =>
      fs.rmSync(dir, { recursive: true, force: true }),
    );
    assert.notEqual(code, 0, output);
    assert.match(output, /missing required scopes: keyword\.other\.directive\.async-lint/);
  });

  it('knows exactly the rule ids of the rule table', () => {
    const grammar = JSON.parse(fs.readFileSync(GRAMMAR, 'utf8'));
    const pattern: string = grammar.repository.directive.patterns[0].match;
    const ids = /\(\?:([^)]*)\)/.exec(pattern)![1].split('|');
    assert.deepEqual([...ids].sort(), [...RULE_IDS].sort());
  });

  it('is contributed to VS Code for every language the extension serves', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const contribution = pkg.contributes.grammars.find((g: { path: string }) =>
      g.path.endsWith(path.basename(GRAMMAR)),
    );
    assert.ok(contribution, 'package.json contributes the grammar');
    assert.equal(contribution.scopeName, JSON.parse(fs.readFileSync(GRAMMAR, 'utf8')).scopeName);
    assert.deepEqual([...contribution.injectTo].sort(), [
      'source.js',
      'source.js.jsx',
      'source.python',
      'source.ts',
      'source.tsx',
    ]);
  });
});
