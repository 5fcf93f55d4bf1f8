// The type backends (server/src/typescript/typebackend.ts, engine.ts): TypeScript 7 may only be
// used where it finds exactly what TypeScript 6 finds. Every TS/JS fixture (rule fixtures, fix
// cases, the fuzzer's regressions) is linted with every rule on, hints included, by both engines,
// and every finding must be the same: rule, range, message, fixes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { ConfigResolver } from '../server/src/engine/config';
import { Linter } from '../server/src/engine/linter';
import { RULES } from '../server/src/engine/rules';
import type { LintResult } from '../server/src/engine/types';
import { TypeScriptBackend } from '../server/src/typescript/backend';
import { Ts6Engine, Ts7Engine, type TypeEngine } from '../server/src/typescript/engine';
import { INFERRED_OPTIONS, INFERRED_TSCONFIG_OPTIONS, ProjectHost } from '../server/src/typescript/host';
import { typeScript7Available, typeScript7Module } from '../server/src/typescript/ts7-available';
import { _forTests } from '../server/src/typescript/typebackend-ts7';
import { FIXTURES } from './helpers';

const TS_FILE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

function fixtureFiles(dir: string): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length > 0) {
    const d = stack.pop()!;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (TS_FILE.test(e.name) && !/\.d\.[cm]?ts$/.test(e.name)) out.push(p);
    }
  }
  return out.sort();
}

const diskFs = {
  readFile(f: string): string | undefined {
    try {
      return fs.readFileSync(f, 'utf8');
    } catch {
      return undefined;
    }
  },
};

/** Each file's findings (and skip reason, rule failures) as lines to compare. */
function lintAll(
  engine: TypeEngine,
  files: readonly string[],
  texts?: ReadonlyMap<string, string>,
  counters?: Record<string, number>,
): Map<string, string[]> {
  const backend = new TypeScriptBackend(engine.host, undefined, engine);
  const linter = new Linter([backend]);
  // Every rule at its default severity, also in test code (where some are off by default).
  const resolver = new ConfigResolver(diskFs, {
    ruleOverrides: Object.fromEntries(RULES.map((r) => [r.id, r.defaultSeverity])),
  });
  const out = new Map<string, string[]>();
  try {
    backend.prepare(files);
    for (const file of files) {
      const text = texts?.get(file) ?? fs.readFileSync(file, 'utf8');
      const result: LintResult = linter.lint(file, text, resolver.forFile(file), { timeBudgetMs: 60_000 });
      const lines = result.findings.map(
        (f) =>
          `${f.range.start.line + 1}:${f.range.start.character + 1}-${f.range.end.line + 1}:${f.range.end.character + 1} ${f.ruleId} ${f.severity} ${f.message} ${JSON.stringify(f.fixes)}`,
      );
      if (result.skipped) lines.push(`skipped: ${result.skipped.reason}`);
      for (const failure of result.ruleFailures) lines.push(`rule failure: ${failure.ruleId}`);
      out.set(file, lines);
    }
    if (counters) Object.assign(counters, backend.engine.counters());
  } finally {
    linter.dispose();
  }
  return out;
}

function differences(files: readonly string[], a: Map<string, string[]>, b: Map<string, string[]>): string[] {
  const out: string[] = [];
  for (const f of files) {
    const x = a.get(f)!;
    const y = b.get(f)!;
    const rel = path.relative(FIXTURES, f);
    for (const l of x) if (!y.includes(l)) out.push(`TS 6 only: ${rel}:${l}`);
    for (const l of y) if (!x.includes(l)) out.push(`TS 7 only: ${rel}:${l}`);
  }
  return out;
}

describe('type backends', function () {
  this.timeout(300_000);

  it("computes a TypeScript 7 symbol's declarations only as far as they are read", () => {
    const computed: number[] = [];
    const make = () =>
      _forTests.lazyArray([1, 2, 3, 4], (n) => {
        computed.push(n);
        return n === 3 ? undefined : n * 10;
      });
    let a = make();
    assert.equal(a[0], 10);
    assert.deepEqual(computed, [1], 'the first only');
    assert.equal(
      a.some((x) => x === 20),
      true,
    );
    assert.deepEqual(computed, [1, 2], 'some stops at its hit');
    assert.equal(
      a.every((x) => x < 15),
      false,
    );
    assert.deepEqual(computed, [1, 2], 'every stops at its miss');
    assert.equal(a.length, 3, 'an element computed as undefined is dropped');
    assert.deepEqual(computed, [1, 2, 3, 4]);
    assert.deepEqual(
      a.map((x) => x + 1),
      [11, 21, 41],
    );
    assert.deepEqual([...a], [10, 20, 40]);
    computed.length = 0;
    a = make();
    assert.equal(a[2], 40, 'reading index 2 skips the dropped element');
    assert.deepEqual(computed, [1, 2, 3, 4]);
    assert.equal(
      make().find((x) => x === 20),
      20,
    );
    assert.equal(
      make().every((x) => x > 0),
      true,
    );
  });

  it("uses async-lint's own typescript7 package, never one above its folder (a workspace's)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lint-ts7-root-'));
    try {
      const planted = path.join(dir, 'node_modules', 'typescript7');
      fs.mkdirSync(planted, { recursive: true });
      fs.writeFileSync(
        path.join(planted, 'package.json'),
        JSON.stringify({ name: 'typescript', version: '7.0.0', exports: { './package.json': './package.json' } }),
      );
      const ours = path.join(dir, 'lint-tool');
      fs.mkdirSync(path.join(ours, 'node_modules'), { recursive: true });
      assert.throws(
        () => typeScript7Module('typescript7/package.json', ours),
        /resolves outside async-lint's own node_modules/,
      );
      assert.equal(
        typeScript7Module('typescript7/package.json', dir),
        fs.realpathSync(path.join(planted, 'package.json')),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives TypeScript 7 the inferred projects options TypeScript 6 uses', () => {
    const { options, errors } = ts.convertCompilerOptionsFromJson(INFERRED_TSCONFIG_OPTIONS, '/');
    assert.deepEqual(errors, []);
    const { allowNonTsExtensions, ...rest } = INFERRED_OPTIONS;
    assert.equal(allowNonTsExtensions, true, 'the one option a tsconfig cannot say');
    assert.deepEqual(options, rest);
  });

  describe('TypeScript 7 agrees with TypeScript 6', () => {
    before(function () {
      if (!typeScript7Available().ok) {
        // The native compiler is a dev dependency for one platform at a time; CI installs it.
        this.skip();
      }
    });

    it('finds the same on every TS/JS fixture, with every rule on', () => {
      const files = fixtureFiles(FIXTURES);
      assert.ok(files.length > 50, 'the fixtures are there');
      const six = lintAll(new Ts6Engine(new ProjectHost()), files);
      const counters: Record<string, number> = {};
      const seven = lintAll(new Ts7Engine(new ProjectHost(), FIXTURES), files, undefined, counters);
      assert.deepEqual(differences(files, six, seven), []);
      // Batches were written ahead of their answers, and the API took every answer (a request it
      // then made differently would be asked twice: the payloads have drifted from the API's).
      assert.ok(counters['requests sent ahead'] > 10, JSON.stringify(counters));
      assert.equal(counters['of them answered ahead'], counters['requests sent ahead']);
      // Agreement on something: findings of every TypeScript rule, fixes among them.
      const all = [...six.values()].flat();
      for (const rule of [
        'blocking-call',
        'unawaited',
        'sequential-await',
        'await-in-loop',
        'async-callback',
        'unused-async',
      ]) {
        assert.ok(all.filter((l) => l.includes(` ${rule} `)).length >= 3, `findings of ${rule}`);
      }
      assert.ok(
        all.some((l) => l.includes('"edits":[{')),
        'fixes',
      );
    });

    it('hands the rest of the run to TypeScript 6 when TypeScript 7 dies', () => {
      const files = fixtureFiles(path.join(FIXTURES, 'unawaited')).slice(0, 4);
      const expected = lintAll(new Ts6Engine(new ProjectHost()), files);
      const engine = new Ts7Engine(new ProjectHost(), FIXTURES);
      const backend = new TypeScriptBackend(engine.host, undefined, engine);
      const linter = new Linter([backend]);
      const resolver = new ConfigResolver(diskFs, {
        ruleOverrides: Object.fromEntries(RULES.map((r) => [r.id, r.defaultSeverity])),
      });
      try {
        backend.prepare(files);
        const found = files.map((file, i) => {
          if (i === 2) {
            // The compiler's process ends under us (killed, out of memory).
            const child = (
              engine as unknown as {
                compiler: { api: { client: { channel: { child: { kill(signal: string): void } } } } };
              }
            ).compiler.api.client.channel.child;
            child.kill('SIGKILL');
          }
          return linter.lint(file, fs.readFileSync(file, 'utf8'), resolver.forFile(file), { timeBudgetMs: 60_000 });
        });
        assert.equal(backend.engine.kind, 'typescript6');
        assert.match(backend.statsNotes().join('\n'), /TypeScript 7 failed .*TypeScript 6 did the rest/);
        found.forEach((r, i) => {
          assert.deepEqual(r.ruleFailures, [], files[i]);
          assert.equal(r.skipped, undefined, files[i]);
          assert.equal(r.findings.length, expected.get(files[i])!.length, files[i]);
        });
      } finally {
        linter.dispose();
      }
    });

    it('sees texts that are not on disk, and their changes (fix passes, --stdin)', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lint-ts7-'));
      try {
        const lib = path.join(dir, 'lib.ts');
        const main = path.join(dir, 'main.ts');
        fs.writeFileSync(lib, 'export async function save(): Promise<void> {\n  await Promise.resolve();\n}\n');
        fs.writeFileSync(main, "import { save } from './lib';\nexport function f() {\n  save();\n}\n");
        const engine = new Ts7Engine(new ProjectHost(), dir);
        const backend = new TypeScriptBackend(engine.host, undefined, engine);
        const linter = new Linter([backend]);
        const config = new ConfigResolver(diskFs, {}).forFile(main);
        try {
          backend.prepare([main, lib]);
          const unawaited = (r: LintResult) =>
            r.findings.filter((f) => f.ruleId === 'unawaited').map((f) => f.range.start.line + 1);
          assert.deepEqual(unawaited(linter.lint(main, fs.readFileSync(main, 'utf8'), config)), [3], 'from disk');
          // The same file edited (as a fix pass or an editor would): a second dropped call.
          assert.deepEqual(
            unawaited(
              linter.lint(
                main,
                "import { save } from './lib';\nexport function f() {\n  save();\n  save();\n}\n",
                config,
              ),
            ),
            [3, 4],
          );
          // With every rule off the file is still read (for its directives), without a question.
          const off = new ConfigResolver(diskFs, {
            ruleOverrides: Object.fromEntries(RULES.map((r) => [r.id, 'off' as const])),
          }).forFile(main);
          const quiet = linter.lint(main, '// async-lint-disable-next-line unawaited\nsave();\n', off);
          assert.equal(quiet.skipped, undefined);
          assert.deepEqual(quiet.findings, []);
          assert.equal(backend.engine.kind, 'typescript7', 'not given up');
          // Another file's text changes: save() no longer returns a promise.
          linter.lint(lib, 'export function save(): void {}\n', config);
          assert.deepEqual(
            unawaited(
              linter.lint(
                main,
                "import { save } from './lib';\nexport function f() {\n  save();\n  save();\n}\n",
                config,
              ),
            ),
            [],
          );
        } finally {
          linter.dispose();
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
