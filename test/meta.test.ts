// Meta-tests: every row of the rule table is implemented, registered, documented, configurable
// and tested in each language it claims, and nothing is implemented that the table does not list.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import schema from '../schemas/async-lint.schema.json';
import { RULES, RULE_IDS } from '../server/src/engine/rules';
import type { Language } from '../server/src/engine/types';
import { createBackends } from '../server/src/languages';
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
        assert.ok(meta.languages.includes(b.language), `${b.language} implements '${id}', but the table does not list ${b.language} for it`);
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

  for (const rule of RULES) {
    describe(rule.id, () => {
      for (const language of rule.languages) {
        it(`is implemented, registered and has fixtures in ${language}`, () => {
          const file = path.join(ROOT, 'server', 'src', LANGUAGE_DIR[language], 'rules', `${rule.id}.ts`);
          assert.ok(fs.existsSync(file), `missing ${path.relative(ROOT, file)}`);
          const backend = backends.find((b) => b.language === language)!;
          assert.ok(backend.ruleIds.includes(rule.id), `${rule.id} is not registered in the ${language} backend`);
          const fixtures = path.join(ROOT, 'test', 'fixtures', rule.id);
          const files = fs.existsSync(fixtures) ? fs.readdirSync(fixtures).filter((f) => FIXTURE_EXT[language].test(f)) : [];
          assert.ok(files.length > 0, `no ${language} fixture in test/fixtures/${rule.id}/`);
          const marked = files.some((f) => fs.readFileSync(path.join(fixtures, f), 'utf8').includes(`expect: ${rule.id}`));
          assert.ok(marked, `the ${language} fixtures of ${rule.id} mark no line as flagged`);
          if (rule.fix !== 'none') {
            const fixDir = path.join(fixtures, 'fix');
            const cases = fs.existsSync(fixDir) ? fs.readdirSync(fixDir).filter((f) => FIXTURE_EXT[language].test(f) && !/\.fixed\./.test(f)) : [];
            assert.ok(cases.length > 0, `${rule.id} offers fixes but has no ${language} fix case in test/fixtures/${rule.id}/fix/`);
          }
        });
      }

      it('has a documentation page in the fixed shape, for each of its languages', () => {
        const page = path.join(ROOT, 'docs', 'rules', `${rule.id}.md`);
        assert.ok(fs.existsSync(page), `missing docs/rules/${rule.id}.md`);
        const text = fs.readFileSync(page, 'utf8');
        assert.match(text, new RegExp(`^# \`?${rule.id}\`?`, 'm'), 'the page is titled with the rule id');
        for (const s of SECTIONS) assert.ok(text.includes(`## ${s}`), `docs/rules/${rule.id}.md lacks '## ${s}'`);
        for (const language of rule.languages) assert.match(text, LANGUAGE_WORD[language], `the page does not cover ${language}`);
      });
    });
  }
});
