// Meta-tests: every row of the rule table is implemented, registered, documented, configurable
// and tested in each language it claims, and nothing is implemented that the table does not list.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { generate, loadRules } from '../scripts/generate';
import schema from '../schemas/async-lint.schema.json';
import { validateConfig } from '../server/src/engine/config';
import { RULES, RULE_IDS } from '../server/src/engine/rules';
import type { Language } from '../server/src/engine/types';
import { ALL_EXTENSIONS, ALL_LANGUAGE_IDS, extensionForLanguageId, LANGUAGE_FACTS } from '../server/src/language-facts';
import { createBackends, createLinter } from '../server/src/languages';
import { PY_RULES } from '../server/src/python/rules';
import { TS_RULES } from '../server/src/typescript/rules';
import { ROOT } from './helpers';

const LANGUAGE_DIR: Record<Language, string> = { typescript: 'typescript', python: 'python' };
const LANGUAGE_WORD: Record<Language, RegExp> = { typescript: /TypeScript/, python: /Python/ };
const FIXTURE_EXT: Record<Language, RegExp> = { typescript: /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/, python: /\.py$/ };
const SECTIONS = ['What it does', 'Why is this bad?', 'Example', 'Use instead', 'Fix safety', 'Options'];

describe('rule table', () => {
  const backends = createBackends();

  it('has unique kebab-case ids', () => {
    assert.equal(new Set(RULE_IDS).size, RULE_IDS.length);
    for (const id of RULE_IDS) assert.match(id, /^[a-z]+(-[a-z]+)*$/);
  });

  it('lists every rule a backend implements, in the table order', () => {
    for (const b of backends) {
      for (const id of b.ruleIds) {
        const meta = RULES.find((r) => r.id === id);
        assert.ok(meta, `${b.language} implements '${id}', which the rule table does not list`);
        assert.ok(
          meta.languages.includes(b.language),
          `${b.language} implements '${id}', but the table does not list ${b.language} for it`,
        );
      }
      const order = RULE_IDS.filter((id) => b.ruleIds.includes(id));
      assert.deepEqual([...b.ruleIds], order, `${b.language} rules are registered in the table's order`);
    }
  });

  it('matches the rule settings of the JSON schema and of the VS Code manifest', () => {
    assert.deepEqual(Object.keys(schema.properties.rules.properties), [...RULE_IDS]);
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const setting = manifest.contributes?.configuration?.properties?.['asyncLint.rules'];
    assert.ok(setting, 'package.json contributes asyncLint.rules');
    assert.deepEqual(Object.keys(setting.properties), [...RULE_IDS]);
  });

  it('has every implementation file carry the id of its name, in the registry order', () => {
    for (const [dir, rules] of [
      ['typescript', TS_RULES],
      ['python', PY_RULES],
    ] as const) {
      const files = fs
        .readdirSync(path.join(ROOT, 'server', 'src', dir, 'rules'))
        .filter((f) => f !== 'index.ts')
        .map((f) => f.replace(/\.ts$/, ''));
      assert.deepEqual(
        [...rules.map((r) => r.id)].sort(),
        files.sort(),
        `server/src/${dir}/rules/<id>.ts declares the rule <id> (import its metadata)`,
      );
      assert.deepEqual(
        rules.map((r) => r.id),
        RULE_IDS.filter((id) => files.includes(id)),
      );
    }
  });

  it('has every implementation file read top to bottom: the rule, the check, the fixes', () => {
    const marker = (title: string) => `// ---- ${title} `.padEnd(100, '-');
    for (const rule of RULES) {
      for (const language of rule.languages) {
        const rel = `server/src/${LANGUAGE_DIR[language]}/rules/${rule.id}.ts`;
        const lines = fs.readFileSync(path.join(ROOT, rel), 'utf8').split('\n');
        const code = lines.findIndex((l) => !/^(\/\/|import |\s|\} from |$)/.test(l));
        assert.match(
          lines[code],
          /^export const \w+: (TsRule|PyRule) = \{$/,
          `${rel}: the rule object comes first after the imports (its metadata, then its handlers)`,
        );
        const sections = lines.filter((l) => l.startsWith('// ---- '));
        const expected = rule.fix === 'none' ? [marker('the check')] : [marker('the check'), marker('the fixes')];
        assert.deepEqual(sections, expected, `${rel}: the section markers (parts of a section are marked '// -- ')`);
        const check = lines.indexOf(marker('the check'));
        assert.ok(lines.slice(code, check).includes('};'), `${rel}: the check section follows the rule object`);
      }
    }
  });

  it('has no stale generated file (run `npm run generate`)', async () => {
    const stale = await generate(ROOT, { write: false });
    assert.deepEqual(stale, [], `stale generated files: ${stale.join(', ')}; run \`npm run generate\``);
  });

  for (const rule of RULES) {
    describe(rule.id, () => {
      for (const language of rule.languages) {
        it(`is implemented, registered and has fixtures in ${language}`, () => {
          const file = path.join(ROOT, 'server', 'src', LANGUAGE_DIR[language], 'rules', `${rule.id}.ts`);
          assert.ok(fs.existsSync(file), `missing ${path.relative(ROOT, file)}`);
          const backend = backends.find((b) => b.language === language)!;
          assert.ok(backend.ruleIds.includes(rule.id), `${rule.id} is not registered in the ${language} backend`);
          const fixtures = path.join(ROOT, 'test', 'fixtures', rule.id);
          const files = fs.existsSync(fixtures)
            ? fs.readdirSync(fixtures).filter((f) => FIXTURE_EXT[language].test(f))
            : [];
          assert.ok(files.length > 0, `no ${language} fixture in test/fixtures/${rule.id}/`);
          const marked = files.some((f) =>
            fs.readFileSync(path.join(fixtures, f), 'utf8').includes(`expect: ${rule.id}`),
          );
          assert.ok(marked, `the ${language} fixtures of ${rule.id} mark no line as flagged`);
          if (rule.fix !== 'none') {
            const fixDir = path.join(fixtures, 'fix');
            const cases = fs.existsSync(fixDir)
              ? fs.readdirSync(fixDir).filter((f) => FIXTURE_EXT[language].test(f) && !/\.fixed\./.test(f))
              : [];
            assert.ok(
              cases.length > 0,
              `${rule.id} offers fixes but has no ${language} fix case in test/fixtures/${rule.id}/fix/`,
            );
          }
        });
      }

      it('has a documentation page in the fixed shape, for each of its languages', () => {
        const page = path.join(ROOT, 'docs', 'rules', `${rule.id}.md`);
        assert.ok(fs.existsSync(page), `missing docs/rules/${rule.id}.md`);
        const text = fs.readFileSync(page, 'utf8');
        assert.match(text, new RegExp(`^# \`?${rule.id}\`?`, 'm'), 'the page is titled with the rule id');
        for (const s of SECTIONS) assert.ok(text.includes(`## ${s}`), `docs/rules/${rule.id}.md lacks '## ${s}'`);
        for (const language of rule.languages)
          assert.match(text, LANGUAGE_WORD[language], `the page does not cover ${language}`);
      });
    });
  }
});

describe('language facts', () => {
  const facts = (f: import('../server/src/engine/linter').LanguageFacts) => ({
    language: f.language,
    extensions: f.extensions,
    languageIds: f.languageIds,
    lineComment: f.lineComment,
  });

  it("are the backends' own, listed in the backends' order, for the client and the generated files", () => {
    for (const options of [{}, { readBoundary: { boundary: () => undefined, mayRead: () => true } }]) {
      assert.deepEqual(createBackends(options).map(facts), LANGUAGE_FACTS.map(facts));
    }
    assert.equal(new Set(ALL_EXTENSIONS).size, ALL_EXTENSIONS.length, 'no extension is two languages');
    for (const ext of ALL_EXTENSIONS) assert.equal(ext, ext.toLowerCase());
  });

  it('give each editor language id an extension its own backend lints (untitled documents)', () => {
    const linter = createLinter();
    for (const l of LANGUAGE_FACTS) {
      for (const id of Object.keys(l.languageIds)) {
        const ext = extensionForLanguageId(id)!;
        assert.ok(l.extensions.includes(ext), `${id}: ${ext}`);
        assert.equal(linter.backendFor(`/x/untitled-1${ext}`)?.language, l.language, id);
      }
    }
    assert.equal(extensionForLanguageId('plaintext'), undefined);
    assert.equal(extensionForLanguageId('toString'), undefined);
    assert.deepEqual(ALL_LANGUAGE_IDS, ['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'python']);
  });

  it('lint Python stubs (.pyi), which the module index reads, as the CLI always did', () => {
    assert.equal(createLinter().backendFor('/x/pkg/mod.pyi')?.language, 'python');
    assert.equal(createLinter().backendFor('/x/pkg/MOD.PYI')?.language, 'python');
  });
});

describe('adding a rule', function () {
  this.timeout(120_000);
  const ID = 'throwaway-rule';
  let dir: string;

  before(() => {
    // A copy of the parts of the checkout the generator reads and writes, and of the server.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lint-new-rule-'));
    for (const rel of [
      'server/src',
      'schemas',
      'syntaxes',
      'docs/rules',
      'package.json',
      'README.md',
      '.pre-commit-hooks.yaml',
      'tsconfig.json',
    ]) {
      fs.cpSync(path.join(ROOT, rel), path.join(dir, rel), { recursive: true });
    }
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    // The checklist of ARCHITECTURE.md, "Adding a rule": a metadata file and one implementation.
    fs.writeFileSync(
      path.join(dir, 'server/src/rules-meta', `${ID}.ts`),
      [
        "import { defineRule } from './define';",
        '',
        `export default defineRule({ id: '${ID}', description: 'A pass statement, flagged to test the rule registry.', defaultSeverity: 'error', fix: 'none' });`,
        '',
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(dir, 'server/src/python/rules', `${ID}.ts`),
      [
        "import type { PyRule } from '../rule';",
        `import meta from '../../rules-meta/${ID}';`,
        '',
        'export const throwawayRule: PyRule = {',
        '  id: meta.id,',
        "  create: (context) => ({ pass_statement: (node) => context.report(node, 'a pass statement') }),",
        '};',
        '',
        `// ---- the check ${'-'.repeat(82)}`,
        '',
      ].join('\n'),
    );
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A module of the copy, loaded through tsx like the checkout's own (CommonJS or ES namespace). */
  async function load<T>(rel: string): Promise<T> {
    const ns = (await import(pathToFileURL(path.join(dir, rel)).href)) as { default?: object };
    return { ...ns.default, ...ns } as T;
  }

  it('is found, registered, configurable, in the schema, the manifest, the grammar and the README after `npm run generate`', async () => {
    const rules = await loadRules(dir);
    assert.deepEqual(
      rules.map((r) => r.id),
      [...RULE_IDS, ID],
      'a new rule is appended to the registry',
    );
    assert.deepEqual(rules.at(-1)!.languages, ['python'], 'its languages are the folders that have its file');

    const stale = await generate(dir, { write: true });
    for (const rel of [
      'server/src/rules-meta/index.ts',
      'server/src/python/rules/index.ts',
      'schemas/async-lint.schema.json',
      'package.json',
      'syntaxes/async-lint-directive.injection.tmLanguage.json',
      'README.md',
    ]) {
      assert.ok(stale.includes(rel), `generate rewrites ${rel}`);
    }
    assert.ok(
      !stale.includes('server/src/typescript/rules/index.ts'),
      'a Python rule leaves the TypeScript list alone',
    );
    assert.deepEqual(await generate(dir, { write: false }), [], 'a second run has nothing to do');

    const read = (rel: string) => fs.readFileSync(path.join(dir, rel), 'utf8');
    const copySchema = JSON.parse(read('schemas/async-lint.schema.json'));
    assert.equal(
      copySchema.properties.rules.properties[ID].description,
      '(Python) A pass statement, flagged to test the rule registry. Default: error.',
    );
    const setting = JSON.parse(read('package.json')).contributes.configuration.properties['asyncLint.rules'].properties[
      ID
    ];
    assert.deepEqual(setting.enum, ['off', 'hint', 'info', 'warning', 'error', 'warn']);
    assert.match(
      JSON.parse(read('syntaxes/async-lint-directive.injection.tmLanguage.json')).repository.directive.patterns[0]
        .match,
      new RegExp(`\\|${ID}\\)`),
    );
    assert.ok(
      read('README.md').includes(
        `| [\`${ID}\`](docs/rules/${ID}.md) | Python | error | none | A pass statement, flagged to test the rule registry. |`,
      ),
    );

    // The copy's server: its registry, its configuration validation and its Python backend.
    const registry = await load<typeof import('../server/src/engine/rules')>('server/src/engine/rules.ts');
    assert.deepEqual(registry.RULES.find((r) => r.id === ID)?.languages, ['python']);
    assert.throws(
      () => validateConfig({ rules: { [ID]: 'warning' } }, 'async-lint.json'),
      /throwaway-rule/,
      'the checkout itself does not know the rule',
    );
    const config = await load<typeof import('../server/src/engine/config')>('server/src/engine/config.ts');
    assert.doesNotThrow(() => config.validateConfig({ rules: { [ID]: 'warning' } }, 'async-lint.json'));
    const file = path.join(dir, 'example.py');
    const noFiles = { readFile: () => undefined };
    assert.equal(
      new config.ConfigResolver(noFiles).forFile(file).severities.get(ID),
      'error',
      'on by default at its default severity',
    );
    const resolved = new config.ConfigResolver(noFiles, { ruleOverrides: { [ID]: 'info' } }).forFile(file);

    const languages = await load<typeof import('../server/src/languages')>('server/src/languages.ts');
    const linter = languages.createLinter();
    await linter.ready();
    const result = linter.lint(file, 'def f():\n    pass\n', resolved);
    assert.deepEqual(
      result.findings.filter((f) => f.ruleId === ID).map((f) => [f.range.start.line, f.message, f.severity]),
      [[1, 'a pass statement', 'info']],
    );
  });
});
