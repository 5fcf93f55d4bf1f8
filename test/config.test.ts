// The configuration loader on real files in a temporary folder: where settings are found, which
// file wins, how layers combine, and that every broken file stops with a message naming it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ConfigError,
  ConfigResolver,
  DEFAULT_MAX_FILE_SIZE,
  DEFAULT_OVERRIDES,
  parseRuleSetting,
  readExplicitConfig,
  validateConfig,
} from '../server/src/engine/config';
import { RULES, unknownRuleMessage } from '../server/src/engine/rules';

const diskFs = {
  readFile(f: string): string | undefined {
    try {
      return fs.readFileSync(f, 'utf8');
    } catch {
      return undefined;
    }
  },
};

describe('configuration', () => {
  let tmp: string;
  let n = 0;
  let root: string;

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lint-config-'));
  });
  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  beforeEach(() => {
    root = path.join(tmp, `case${n++}`);
    fs.mkdirSync(root);
  });

  const write = (rel: string, content: string | object) => {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return abs;
  };
  const file = (rel: string) => path.join(root, rel);
  const configError = (fn: () => unknown): ConfigError => {
    try {
      fn();
    } catch (e) {
      assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${e}`);
      return e;
    }
    assert.fail('expected a ConfigError');
  };

  it('uses the rule defaults when no file is found', () => {
    const config = new ConfigResolver(diskFs).forFile(file('a/b/x.ts'));
    assert.equal(config.source, undefined);
    for (const r of RULES) assert.equal(config.severities.get(r.id), r.defaultSeverity);
    assert.equal(config.maxFileSize, DEFAULT_MAX_FILE_SIZE);
    assert.deepEqual(config.ignorePatterns, []);
  });

  it('finds the nearest async-lint.json of a file, and a nearer one replaces a farther one', () => {
    const outer = write('async-lint.json', { rules: { unawaited: 'error', 'blocking-call': 'off' } });
    const inner = write('pkg/async-lint.json', { rules: { unawaited: 'info' } });
    const resolver = new ConfigResolver(diskFs);
    const top = resolver.forFile(file('src/deep/x.ts'));
    assert.equal(top.source, outer);
    assert.equal(top.severities.get('unawaited'), 'error');
    assert.equal(top.severities.get('blocking-call'), 'off');
    const nested = resolver.forFile(file('pkg/src/y.ts'));
    assert.equal(nested.source, inner);
    assert.equal(nested.severities.get('unawaited'), 'info');
    // Not merged with the outer file: blocking-call is back at its default.
    assert.equal(nested.severities.get('blocking-call'), 'warning');
    assert.equal(nested.baseDir, path.dirname(inner));
  });

  it('reads the "async-lint" key of package.json and skips a package.json without one', () => {
    const pkg = write('package.json', {
      name: 'app',
      'async-lint': { rules: { 'await-in-loop': 'warning' }, ignorePatterns: ['gen/'] },
    });
    write('sub/package.json', { name: 'sub', bin: { 'async-lint': 'x.js' } });
    const config = new ConfigResolver(diskFs).forFile(file('sub/index.js'));
    assert.equal(config.source, pkg);
    assert.equal(config.severities.get('await-in-loop'), 'warning');
    assert.deepEqual(config.ignorePatterns, ['gen/']);
    assert.equal(config.baseDir, root);
  });

  it('reads [tool.async-lint] of pyproject.toml and skips a pyproject.toml without it', () => {
    const py = write(
      'pyproject.toml',
      '[project]\nname = "svc"\n\n[tool.async-lint]\nmaxFileSize = 1000\ncoroutines = ["mylib.fetch"]\n\n[tool.async-lint.rules]\ndangling-task = "error"\n',
    );
    write('pkg/pyproject.toml', '[project]\nname = "inner"\ndependencies = ["async-lint"]\n');
    const config = new ConfigResolver(diskFs).forFile(file('pkg/mod.py'));
    assert.equal(config.source, py);
    assert.equal(config.severities.get('dangling-task'), 'error');
    assert.equal(config.maxFileSize, 1000);
    assert.deepEqual(config.coroutines, ['mylib.fetch']);
  });

  it('prefers async-lint.json over package.json over pyproject.toml in one folder', () => {
    write('pyproject.toml', '[tool.async-lint.rules]\nunawaited = "hint"\n');
    write('package.json', { 'async-lint': { rules: { unawaited: 'info' } } });
    const resolver = () => new ConfigResolver(diskFs).forFile(file('x.ts'));
    assert.equal(resolver().severities.get('unawaited'), 'info');
    write('async-lint.json', { rules: { unawaited: 'error' } });
    assert.equal(resolver().severities.get('unawaited'), 'error');
  });

  it('layers editor defaults below the project file and --rule above it', () => {
    write('async-lint.json', { rules: { unawaited: 'error', 'sequential-await': 'warning' }, ignorePatterns: ['b'] });
    const config = new ConfigResolver(diskFs, {
      defaults: { rules: { unawaited: 'hint', 'await-in-loop': 'off' }, ignorePatterns: ['a'], maxFileSize: 5 },
      ruleOverrides: { 'sequential-await': 'off' },
    }).forFile(file('x.ts'));
    assert.equal(config.severities.get('unawaited'), 'error', 'project file beats editor defaults');
    assert.equal(config.severities.get('await-in-loop'), 'off', 'editor defaults beat rule defaults');
    assert.equal(config.severities.get('sequential-await'), 'off', 'command line beats project file');
    assert.deepEqual(config.ignorePatterns, ['a', 'b']);
    assert.equal(config.maxFileSize, 5);
  });

  it('turns blocking-calls strings into entries', () => {
    write('async-lint.json', {
      'blocking-calls': ['legacy.fetch_sync', { name: 'db.query_sync', replacement: 'db.query' }],
    });
    const config = new ConfigResolver(diskFs).forFile(file('x.py'));
    assert.deepEqual(config.blockingCalls, [
      { name: 'legacy.fetch_sync' },
      { name: 'db.query_sync', replacement: 'db.query' },
    ]);
  });

  it('accepts a UTF-8 byte order mark and a $schema key', () => {
    write(
      'async-lint.json',
      '\uFEFF{"$schema": "./node_modules/async-lint/schemas/async-lint.schema.json", "rules": {"unawaited": "off"}}',
    );
    assert.equal(new ConfigResolver(diskFs).forFile(file('x.ts')).severities.get('unawaited'), 'off');
  });

  describe('errors name the file and the problem', () => {
    it('broken JSON', () => {
      const f = write('async-lint.json', '{"rules": {');
      const e = configError(() => new ConfigResolver(diskFs).forFile(file('x.ts')));
      assert.equal(e.file, f);
      assert.match(e.message, /^.*async-lint\.json: invalid JSON: /);
    });

    it('an unknown top-level key lists the valid ones', () => {
      const f = write('async-lint.json', { rulez: {} });
      const e = configError(() => new ConfigResolver(diskFs).forFile(file('x.ts')));
      assert.equal(
        e.message,
        `${f}: unknown key 'rulez'; valid keys: rules, overrides, ignorePatterns, maxFileSize, blocking-calls, coroutines, fire-and-forget, concurrency`,
      );
    });

    it('an unknown rule id lists the valid ones', () => {
      const f = write('async-lint.json', { rules: { 'no-floating': 'error' } });
      const e = configError(() => new ConfigResolver(diskFs).forFile(file('x.ts')));
      assert.equal(e.message, `${f}: ${unknownRuleMessage('no-floating')}`);
    });

    it('a bad severity lists the allowed values', () => {
      write('async-lint.json', { rules: { unawaited: 'fatal' } });
      const e = configError(() => new ConfigResolver(diskFs).forFile(file('x.ts')));
      assert.match(
        e.problem,
        /^\/rules\/unawaited: must be one of "off", "hint", "info", "warning", "error", "warn", 0, 1, 2$/,
      );
    });

    it("accepts ESLint's severities: warn, and 0 off, 1 warning, 2 error, in rules and overrides", () => {
      write('async-lint.json', {
        rules: { unawaited: 'warn', 'sequential-await': 0, 'await-in-loop': 1, 'blocking-call': 2 },
        overrides: [{ files: ['b.ts'], rules: { unawaited: 2, 'blocking-call': 'warn' } }],
      });
      const resolver = new ConfigResolver(diskFs);
      const a = resolver.forFile(file('a.ts')).severities;
      assert.deepEqual(
        ['unawaited', 'sequential-await', 'await-in-loop', 'blocking-call'].map((id) => a.get(id)),
        ['warning', 'off', 'warning', 'error'],
      );
      const b = resolver.forFile(file('b.ts')).severities;
      assert.deepEqual([b.get('unawaited'), b.get('blocking-call')], ['error', 'warning']);
      write('async-lint.json', { rules: { unawaited: 3 } });
      assert.match(
        configError(() => new ConfigResolver(diskFs).forFile(file('x.ts'))).problem,
        /\/rules\/unawaited: must be one of/,
      );
    });

    it('wrong types', () => {
      write('async-lint.json', { maxFileSize: 0, ignorePatterns: 'dist' });
      const e = configError(() => new ConfigResolver(diskFs).forFile(file('x.ts')));
      assert.match(e.problem, /\/maxFileSize: must be >= 1/);
      assert.match(e.problem, /\/ignorePatterns: must be array/);
    });

    it('a bad dotted name in blocking-calls', () => {
      write('async-lint.json', { 'blocking-calls': ['not a name'] });
      const e = configError(() => new ConfigResolver(diskFs).forFile(file('x.py')));
      assert.match(e.problem, /\/blocking-calls\/0/);
    });

    it('a broken "async-lint" key in package.json names the key', () => {
      const f = write('package.json', { name: 'x', 'async-lint': { rules: { unawaited: 'loud' } } });
      const e = configError(() => new ConfigResolver(diskFs).forFile(file('x.ts')));
      assert.equal(e.file, `${f} ("async-lint")`);
    });

    it('broken TOML in pyproject.toml', () => {
      const f = write('pyproject.toml', '[tool.async-lint\nrules = 1\n');
      const e = configError(() => new ConfigResolver(diskFs).forFile(file('x.py')));
      assert.equal(e.file, f);
      assert.match(e.problem, /^invalid TOML: /);
    });

    it('an unknown key in [tool.async-lint]', () => {
      const f = write('pyproject.toml', '[tool.async-lint]\nstrict = true\n');
      const e = configError(() => new ConfigResolver(diskFs).forFile(file('x.py')));
      assert.equal(e.file, `${f} ([tool.async-lint])`);
      assert.match(e.problem, /^unknown key 'strict'/);
    });

    it('configuration that is not an object', () => {
      assert.throws(() => validateConfig([], 'f.json'), /f\.json: configuration must be an object/);
    });
  });

  describe('--config FILE', () => {
    it('uses the named JSON file for every path, whatever its name, and ignores nearer files', () => {
      const named = write('ci/strict.json', { rules: { unawaited: 'error' } });
      write('src/async-lint.json', { rules: { unawaited: 'off' } });
      const resolver = new ConfigResolver(diskFs, { explicitFile: named });
      const config = resolver.forFile(file('src/x.ts'));
      assert.equal(config.source, named);
      assert.equal(config.severities.get('unawaited'), 'error');
      assert.equal(config.baseDir, path.dirname(named));
    });

    it('reads a TOML file of any name, with or without a [tool.async-lint] table', () => {
      const withTable = write('conf/lint.toml', '[tool.async-lint.rules]\nunawaited = "info"\n');
      assert.equal(
        new ConfigResolver(diskFs, { explicitFile: withTable }).forFile(file('x.py')).severities.get('unawaited'),
        'info',
      );
      const bare = write('conf/bare.toml', '[rules]\nunawaited = "hint"\n');
      assert.equal(
        new ConfigResolver(diskFs, { explicitFile: bare }).forFile(file('x.py')).severities.get('unawaited'),
        'hint',
      );
      const wrong = write('conf/wrong.toml', '[tool.other]\nx = 1\n');
      assert.match(
        configError(() => new ConfigResolver(diskFs, { explicitFile: wrong })).problem,
        /unknown key 'tool'/,
      );
    });

    it('reads a package.json and a pyproject.toml, and says when they hold no settings', () => {
      const pkg = write('a/package.json', { 'async-lint': { rules: { unawaited: 'hint' } } });
      assert.equal(
        new ConfigResolver(diskFs, { explicitFile: pkg }).forFile(file('x.ts')).severities.get('unawaited'),
        'hint',
      );
      const empty = write('b/package.json', { name: 'b' });
      assert.equal(
        configError(() => new ConfigResolver(diskFs, { explicitFile: empty })).problem,
        'no "async-lint" key',
      );
      const py = write('c/pyproject.toml', '[project]\nname = "c"\n');
      assert.equal(
        configError(() => new ConfigResolver(diskFs, { explicitFile: py })).problem,
        'no [tool.async-lint] table',
      );
    });

    it('a missing file is an error naming it', () => {
      const e = configError(() => new ConfigResolver(diskFs, { explicitFile: file('nope.json') }));
      assert.equal(e.file, file('nope.json'));
      assert.equal(e.problem, 'cannot read the file');
    });

    it('readExplicitConfig validates as strictly as the search does', () => {
      assert.throws(() => readExplicitConfig('/x/c.json', '{"rules": {"bogus": "off"}}'), /unknown rule 'bogus'/);
    });
  });

  it('reads each folder once: every folder passed on the way up is cached', () => {
    const deep = path.join(root, ...Array.from({ length: 50 }, () => 'd'));
    write('async-lint.json', { rules: { unawaited: 'error' } });
    const reads: string[] = [];
    const counting = {
      readFile: (f: string) => {
        reads.push(f);
        return diskFs.readFile(f);
      },
    };
    const resolver = new ConfigResolver(counting);
    assert.equal(resolver.forFile(path.join(deep, 'x.ts')).severities.get('unawaited'), 'error');
    assert.equal(new Set(reads).size, reads.length, 'no file read twice');
    const before = reads.length;
    assert.equal(resolver.forDir(path.join(root, 'd', 'd')).source, path.join(root, 'async-lint.json'));
    assert.equal(resolver.forFile(path.join(deep, 'y.ts')).source, path.join(root, 'async-lint.json'));
    assert.equal(reads.length, before, 'folders on the path already resolved are not read again');
  });

  describe('overrides', () => {
    const OFF_IN_TESTS = ['blocking-call', 'sequential-await', 'await-in-loop', 'unused-async'];
    const ON_IN_TESTS = ['unawaited', 'async-callback', 'dangling-task', 'nested-event-loop'];
    const at = (resolver: ConfigResolver, rel: string, rule: string) =>
      resolver.forFile(file(rel)).severities.get(rule);

    it('the built-in override turns four rules off in test code and keeps the bug-finding rules on', () => {
      const resolver = new ConfigResolver(diskFs, { defaultRoot: () => root });
      const tests = [
        'tests/test_api.py',
        'pkg/tests/helpers.py',
        'test_api.py',
        'api_test.py',
        'conftest.py',
        'src/conftest.py',
        'src/a.test.ts',
        'src/a.spec.js',
        'test/run.ts',
        'packages/core/__tests__/x.ts',
        'a/b/test/c/d.mjs',
        // test support: a test-utils package, a test-util module beside the code it serves
        'packages/test-utils/lib/index.ts',
        'src/test_utils/x.ts',
        'lib/sentinel/test-util.ts',
        'pkg/test_util.py',
      ];
      for (const rel of tests) {
        for (const rule of OFF_IN_TESTS) assert.equal(at(resolver, rel, rule), 'off', `${rel}: ${rule}`);
        for (const rule of ON_IN_TESTS)
          assert.equal(at(resolver, rel, rule), RULES.find((r) => r.id === rule)!.defaultSeverity, `${rel}: ${rule}`);
        assert.deepEqual(
          resolver.forFile(file(rel)).matchedOverrides?.map((o) => o.from),
          ['default'],
        );
      }
      for (const rel of [
        'src/api.py',
        'src/testing.ts',
        'src/contest.py',
        'src/latest/x.ts',
        'attest.py',
        'src/tests.ts',
        'src/my_test.ts',
        'src/utils.ts',
      ]) {
        for (const rule of OFF_IN_TESTS)
          assert.equal(at(resolver, rel, rule), RULES.find((r) => r.id === rule)!.defaultSeverity, `${rel}: ${rule}`);
      }
      assert.deepEqual(DEFAULT_OVERRIDES[0].rules, Object.fromEntries(OFF_IN_TESTS.map((r) => [r, 'off'])));
    });

    it('a second built-in override turns three rules off in one-off tooling: build files, scripts, benchmarks', () => {
      const resolver = new ConfigResolver(diskFs, { defaultRoot: () => root });
      for (const rel of [
        'gulpfile.js',
        'Gruntfile.cjs',
        'scripts/release.ts',
        'packages/client/scripts/gen.ts',
        'benchmarks/load.py',
        'bench/run.mjs',
      ]) {
        for (const rule of ['blocking-call', 'sequential-await', 'await-in-loop'])
          assert.equal(at(resolver, rel, rule), 'off', `${rel}: ${rule}`);
        for (const rule of ['unawaited', 'unused-async', 'dangling-task'])
          assert.equal(at(resolver, rel, rule), RULES.find((r) => r.id === rule)!.defaultSeverity, `${rel}: ${rule}`);
      }
      for (const rel of ['src/scripting.ts', 'src/benchmark.py', 'lib/description.ts'])
        assert.equal(at(resolver, rel, 'blocking-call'), 'warning', rel);
    });

    it('test folders count only below the lint root: a project living under tests/ is not all test code', () => {
      const project = path.join(root, 'tests', 'proj');
      const noFile = new ConfigResolver(diskFs, { defaultRoot: () => project });
      assert.equal(noFile.forFile(path.join(project, 'src', 'a.ts')).severities.get('blocking-call'), 'warning');
      assert.equal(noFile.forFile(path.join(project, 'tests', 'a.ts')).severities.get('blocking-call'), 'off');
      // With a configuration file, its folder is the root, whatever the default.
      write('tests/proj/async-lint.json', { rules: {} });
      const withFile = new ConfigResolver(diskFs, { defaultRoot: () => root });
      assert.equal(withFile.forFile(path.join(project, 'src', 'a.ts')).severities.get('blocking-call'), 'warning');
      assert.equal(withFile.forFile(path.join(project, 'src', 'a.ts')).root, project);
      // A file outside the root matches no override.
      assert.equal(
        new ConfigResolver(diskFs, { defaultRoot: () => path.join(root, 'elsewhere') })
          .forFile(file('tests/x.ts'))
          .severities.get('blocking-call'),
        'warning',
      );
    });

    it('a project override beats its top-level rules for matching files; later entries win; --rule beats all', () => {
      write('async-lint.json', {
        rules: { unawaited: 'error', 'blocking-call': 'error' },
        overrides: [
          { files: ['scripts/', '*.gen.ts'], rules: { unawaited: 'off' } },
          { files: ['scripts/keep.ts'], rules: { unawaited: 'info' } },
          { files: ['tests/integration/**'], rules: { 'blocking-call': 'warning' } },
        ],
      });
      const resolver = new ConfigResolver(diskFs);
      assert.equal(at(resolver, 'src/a.ts', 'unawaited'), 'error');
      assert.equal(at(resolver, 'scripts/deep/b.ts', 'unawaited'), 'off', 'a folder pattern covers what is inside');
      assert.equal(at(resolver, 'src/x.gen.ts', 'unawaited'), 'off', 'a name pattern matches at any depth');
      assert.equal(at(resolver, 'scripts/keep.ts', 'unawaited'), 'info', 'the later entry wins');
      assert.equal(at(resolver, 'src/a.ts', 'blocking-call'), 'error');
      assert.equal(
        at(resolver, 'tests/unit/a.ts', 'blocking-call'),
        'off',
        'the built-in override beats top-level rules',
      );
      assert.equal(
        at(resolver, 'tests/integration/a.ts', 'blocking-call'),
        'warning',
        "the project's override beats the built-in one",
      );
      const cli = new ConfigResolver(diskFs, { ruleOverrides: { unawaited: 'hint', 'blocking-call': 'error' } });
      assert.equal(at(cli, 'scripts/keep.ts', 'unawaited'), 'hint');
      assert.equal(at(cli, 'tests/unit/a.ts', 'blocking-call'), 'error', '--rule beats the built-in override');
      // Files matching the same overrides share one configuration object (catalogs are cached by it).
      assert.equal(resolver.forFile(file('scripts/a.ts')), resolver.forFile(file('scripts/b/c.ts')));
      assert.equal(resolver.forFile(file('src/a.ts')), resolver.forDir(file('src')));
    });

    it('globs are relative to the configuration file, also in package.json and pyproject.toml', () => {
      write('web/package.json', {
        name: 'web',
        'async-lint': { overrides: [{ files: ['legacy/**'], rules: { unawaited: 'off' } }] },
      });
      write(
        'svc/pyproject.toml',
        '[tool.async-lint]\n[[tool.async-lint.overrides]]\nfiles = ["jobs/*.py"]\nrules = { dangling-task = "off" }\n',
      );
      const resolver = new ConfigResolver(diskFs);
      assert.equal(at(resolver, 'web/legacy/a/b.js', 'unawaited'), 'off');
      assert.equal(at(resolver, 'web/src/legacy.js', 'unawaited'), 'warning');
      assert.equal(at(resolver, 'svc/jobs/nightly.py', 'dangling-task'), 'off');
      assert.equal(
        at(resolver, 'svc/jobs/sub/nightly.py', 'dangling-task'),
        'warning',
        'an anchored * does not cross folders',
      );
    });

    it('a --config file is the root of its own globs', () => {
      const conf = write('conf/strict.json', { overrides: [{ files: ['gen/'], rules: { unawaited: 'off' } }] });
      const resolver = new ConfigResolver(diskFs, { explicitFile: conf });
      assert.equal(resolver.forFile(file('conf/gen/a.ts')).severities.get('unawaited'), 'off');
      assert.equal(resolver.forFile(file('gen/a.ts')).severities.get('unawaited'), 'warning');
    });

    it('validates entries: files and rules required, rule ids known, no other keys', () => {
      const problem = (overrides: unknown) => {
        write('async-lint.json', { overrides });
        return configError(() => new ConfigResolver(diskFs).forFile(file('x.ts'))).message;
      };
      assert.match(problem([{ files: ['a'] }]), /\/overrides\/0: must have required property 'rules'/);
      assert.match(problem([{ rules: {} }]), /must have required property 'files'/);
      assert.match(problem([{ files: [], rules: {} }]), /\/overrides\/0\/files: must NOT have fewer than 1 items/);
      assert.ok(
        problem([{ files: ['a'], rules: { 'no-floating': 'off' } }]).endsWith(unknownRuleMessage('no-floating')),
      );
      assert.match(
        problem([{ files: ['a'], rules: { unawaited: 'loud' } }]),
        /\/overrides\/0\/rules\/unawaited: must be one of/,
      );
      assert.match(problem([{ files: ['a'], rules: {}, severity: 'x' }]), /unknown key 'severity' in \/overrides\/0/);
    });
  });

  describe('--rule id=severity', () => {
    it('parses a setting', () => {
      assert.deepEqual(parseRuleSetting('unawaited=error'), ['unawaited', 'error']);
      assert.deepEqual(parseRuleSetting(' await-in-loop = off '), ['await-in-loop', 'off']);
    });
    it("accepts ESLint's warn and 0/1/2", () => {
      assert.deepEqual(
        ['warn', '0', '1', '2'].map((sev) => parseRuleSetting(`unawaited=${sev}`)[1]),
        ['warning', 'off', 'warning', 'error'],
      );
    });
    it('rejects an unknown rule id, naming the valid ones', () => {
      assert.throws(() => parseRuleSetting('nope=error'), { message: unknownRuleMessage('nope') });
    });
    it('rejects a bad severity and a malformed setting', () => {
      assert.throws(() => parseRuleSetting('unawaited=loud'), /invalid severity 'loud' for unawaited/);
      assert.throws(() => parseRuleSetting('unawaited'), /--rule expects id=severity/);
    });
  });
});

describe('editor settings: rule severities', () => {
  it("accept ESLint's warn and 0/1/2 as configuration files do, and drop what is not a severity", async () => {
    const { normalizeSettings } = await import('../server/src/lsp/settings');
    const s = normalizeSettings({
      rules: { unawaited: 'warn', 'blocking-call': 2, 'await-in-loop': '0', 'unused-async': 'loud', nope: 'error' },
    });
    assert.deepEqual(s.rules, { unawaited: 'warning', 'blocking-call': 'error', 'await-in-loop': 'off' });
  });
});
