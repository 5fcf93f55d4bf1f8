// unawaited (TS/JS) beyond the fixtures: which fixes come first, when `await` is not offered, the
// one-line anchor, and what --fix applies.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import type { Finding } from '../server/src/engine/types';
import type { TsRuleContext } from '../server/src/typescript/rule';
import { unawaited } from '../server/src/typescript/rules/unawaited';
import { CheckerTypes } from '../server/src/typescript/typebackend';
import { onlyRule, testLinter } from './helpers';

const SOURCE = [
  'declare function save(id: number): Promise<void>;',
  'declare function log(text: string): void;',
  'export async function inAsync(id: number) {',
  '  save(id);', // 4: await, then void
  "  (save(id), log('x'));", // 5: the promise is not the statement's value: void only
  '  save(id) && save(id + 1);', // 6: the left promise would not be awaited: void only
  '  (async () => {', // 7: anchored on this line only
  '    await save(id);',
  '  })();',
  '}',
  'export function notAsync(id: number) {',
  '  save(id);', // 12: void only
  '}',
  '',
].join('\n');

describe('unawaited (TS/JS)', () => {
  let dir = '';
  let file = '';
  let findings: Map<number, Finding>;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lint-unawaited-'));
    fs.writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, noEmit: true, types: [] } }),
    );
    file = path.join(dir, 'fixes.ts');
    fs.writeFileSync(file, SOURCE);
    const result = (await testLinter()).lint(file, SOURCE, onlyRule('unawaited', file));
    assert.deepEqual(result.ruleFailures, []);
    findings = new Map(result.findings.map((f) => [f.range.start.line + 1, f]));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const titles = (line: number) => {
    const f = findings.get(line);
    assert.ok(f, `line ${line} should be flagged`);
    return f.fixes.map((x) => `${x.title}${x.safe ? '' : ' (suggestion)'}`);
  };

  it('offers await first inside an async function, then void, both suggestions', () => {
    assert.deepEqual(titles(4), ["Add 'await' (suggestion)", "Add 'void' to drop the promise on purpose (suggestion)"]);
  });

  it('offers only void where await would not wait for every dropped promise', () => {
    assert.deepEqual(titles(5), ["Add 'void' to drop the promise on purpose (suggestion)"]);
    assert.deepEqual(titles(6), ["Add 'void' to drop the promise on purpose (suggestion)"]);
  });

  it('offers only void outside async functions', () => {
    assert.deepEqual(titles(12), ["Add 'void' to drop the promise on purpose (suggestion)"]);
  });

  it('anchors a multi-line statement on its first line', () => {
    const f = findings.get(7)!;
    assert.equal(f.range.end.line, f.range.start.line);
    assert.equal(SOURCE.slice(f.start, f.end), '(async () => {');
  });

  it('--fix changes nothing: adding await changes when the code runs', async () => {
    const out = (await testLinter()).fix(file, SOURCE, onlyRule('unawaited', file));
    assert.equal(out.text, SOURCE);
    assert.equal(out.applied, 0);
  });

  it('--fix --unsafe-fixes adds await where it is offered and never adds void', async () => {
    const out = (await testLinter()).fix(file, SOURCE, onlyRule('unawaited', file), { unsafe: true });
    const lines = out.text.split('\n');
    const before = SOURCE.split('\n');
    assert.equal(lines[3], '  await save(id);');
    assert.equal(lines[4], before[4], 'only void was offered: left alone');
    assert.equal(lines[5], before[5], 'only void was offered: left alone');
    assert.equal(lines[6], '  await (async () => {');
    assert.equal(lines[11], before[11], 'outside async functions: left alone');
    assert.deepEqual(
      out.result.findings.map((f) => f.range.start.line + 1),
      [5, 6, 12],
    );
  });
});

describe('unawaited (TS/JS) when the checker overflows its stack', () => {
  // TypeScript's type printer and relation checks recurse on huge or recursive types; on one file
  // of typescript-eslint's own tests they ran out of stack inside this rule and failed the run.
  it('skips the node instead of throwing, and still checks the next one', () => {
    // (`kept` consumes one call: two bare drops alone would read as the project's convention.)
    const text = 'declare function save(): Promise<void>;\nsave();\nsave();\nexport const kept = save();\n';
    const host = ts.createCompilerHost({ strict: true, noEmit: true, types: [] });
    const getSourceFile = host.getSourceFile;
    host.getSourceFile = (name, ...rest) =>
      name === 'overflow.ts'
        ? ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true)
        : getSourceFile(name, ...rest);
    const program = ts.createProgram(['overflow.ts'], { strict: true, noEmit: true, types: [] }, host);
    const sourceFile = program.getSourceFile('overflow.ts')!;
    const real = program.getTypeChecker();
    let calls = 0;
    const checker = new Proxy(real, {
      get(target, key) {
        const value = Reflect.get(target, key);
        if (key !== 'getTypeAtLocation') return typeof value === 'function' ? value.bind(target) : value;
        return (node: ts.Node) => {
          if (calls++ === 0) throw new RangeError('Maximum call stack size exceeded');
          return real.getTypeAtLocation(node);
        };
      },
    });
    const reports: number[] = [];
    const context: TsRuleContext = {
      sourceFile,
      types: new CheckerTypes(program, checker),
      config: undefined as never,
      report: (at) =>
        reports.push(
          sourceFile.getLineAndCharacterOfPosition(
            'start' in at && typeof at.start === 'number' ? at.start : (at as ts.Node).getStart(sourceFile),
          ).line + 1,
        ),
    };
    const visitor = unawaited.create(context);
    const statements = sourceFile.statements.filter(ts.isExpressionStatement);
    assert.equal(statements.length, 2);
    for (const s of statements) assert.doesNotThrow(() => visitor[ts.SyntaxKind.ExpressionStatement]!(s));
    assert.deepEqual(reports, [3], 'the first statement is skipped, the second still reported');
  });

  it('lets other errors through', () => {
    const sourceFile = ts.createSourceFile('x.ts', 'f();', ts.ScriptTarget.Latest, true);
    const checker = new Proxy({} as ts.TypeChecker, {
      get: () => () => {
        throw new TypeError('boom');
      },
    });
    const context: TsRuleContext = {
      sourceFile,
      types: new CheckerTypes(undefined as never, checker),
      config: undefined as never,
      report: () => undefined,
    };
    const visitor = unawaited.create(context);
    assert.throws(() => visitor[ts.SyntaxKind.ExpressionStatement]!(sourceFile.statements[0]), /boom/);
  });
});

describe('unawaited (TS/JS) fire-and-forget configuration', () => {
  const text = `declare namespace Proto {
  interface PageApi { enable(): Promise<void>; reload(): Promise<void> }
}
declare const page: Proto.PageApi;
declare function save(): Promise<void>;
export async function f() {
  page.enable();
  page.reload();
  save();
  await page.enable();
  await page.reload();
  await save();
}
`;
  let counter = 0;
  async function linesWith(fireAndForget: string[]): Promise<number[]> {
    const linter = await testLinter();
    const file = path.join(os.tmpdir(), `fire-and-forget-${process.pid}-${++counter}.ts`);
    const config = { ...onlyRule('unawaited', file), fireAndForget };
    return linter.lint(file, text, config).findings.map((f: Finding) => f.range.start.line + 1);
  }

  it('flags every drop when nothing is configured', async () => {
    assert.deepEqual(await linesWith([]), [7, 8, 9]);
  });

  it('leaves a configured method, and everything under a configured namespace', async () => {
    assert.deepEqual(await linesWith(['Proto.PageApi.enable']), [8, 9]);
    assert.deepEqual(await linesWith(['Proto']), [9]);
    assert.deepEqual(await linesWith(['save']), [7, 8]);
  });

  it('does not take a name that only starts the same way', async () => {
    assert.deepEqual(await linesWith(['Pro', 'Proto.Page', 'sav']), [7, 8, 9]);
  });
});
