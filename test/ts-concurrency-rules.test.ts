// Unit tests for the TypeScript sequential-await, await-in-loop and async-callback rules: what the
// fixtures cannot say (a finding that must come without a fix, which fixes are offered, exact
// anchors and messages). Each snippet is linted as an in-memory document beside the fixtures, so
// it can import their shared declarations.
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Finding } from '../server/src/engine/types';
import { FIXTURES, onlyRule, testLinter } from './helpers';

let counter = 0;
async function lint(ruleId: string, text: string, ext = '.ts'): Promise<{ findings: Finding[]; text: string }> {
  const linter = await testLinter();
  const file = path.join(FIXTURES, ruleId, `in-memory-${++counter}${ext}`);
  const result = linter.lint(file, text, onlyRule(ruleId, file));
  assert.deepEqual(result.ruleFailures, []);
  assert.equal(result.skipped, undefined);
  return { findings: result.findings, text };
}

function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `no line with ${needle}`);
  return i;
}

describe('sequential-await (TypeScript)', () => {
  it('reports a run that mixes declarations and assignments, without a fix', async () => {
    const { findings } = await lint(
      'sequential-await',
      `import { getCount, getName } from './api';
export async function f() {
  let n: number;
  const name = await getName();
  n = await getCount();
  return [name, n];
}
`,
    );
    assert.equal(findings.length, 1);
    assert.equal(findings[0].range.start.line, 3);
    assert.deepEqual(findings[0].fixes, []);
  });

  it('reports a run that mixes const and let, without a fix', async () => {
    const { findings } = await lint(
      'sequential-await',
      `import { getCount, getName } from './api';
export async function f() {
  const name = await getName();
  let n = await getCount();
  n++;
  return [name, n];
}
`,
    );
    assert.equal(findings.length, 1);
    assert.deepEqual(findings[0].fixes, []);
  });

  it('offers no fix when an unannotated type can only be written as import("...")', async () => {
    const { findings } = await lint(
      'sequential-await',
      `import { getCount, getPosts } from './api';
export async function f() {
  const n: number = await getCount();
  const posts = await getPosts('1');
  return [n, posts];
}
`,
    );
    assert.equal(findings.length, 1);
    assert.deepEqual(findings[0].fixes, []);
  });

  it('offers only suggestions, names the calls, and anchors on the first statement', async () => {
    const { findings, text } = await lint(
      'sequential-await',
      `import { getPosts, getUser } from './api';
export async function f(id: string) {
  console.log(id);
  const user = await getUser(id);
  const posts = await getPosts(id);
  return { user, posts };
}
`,
    );
    assert.equal(findings.length, 1);
    const [f] = findings;
    assert.equal(f.range.start.line, lineOf(text, 'const user'));
    assert.equal(f.range.end.line, lineOf(text, 'const user'));
    assert.match(f.message, /'getUser\(\.\.\.\)', 'getPosts\(\.\.\.\)'/);
    assert.equal(f.fixes.length, 1);
    assert.equal(f.fixes[0].safe, false);
  });

  it('follows symbols, not spellings: an inner variable of the same name is not the run variable', async () => {
    const { findings } = await lint(
      'sequential-await',
      `import { getCount } from './api';
export async function f() {
  const a = await getCount();
  const b = await getCount().then((a) => a + 1);
  const c = await getCount().then(() => a);
  return [a, b, c];
}
`,
    );
    // a and b are independent (b's 'a' is the callback's own); c reads the run's a through a closure.
    assert.equal(findings.length, 1);
    assert.equal(findings[0].range.start.line, 2);
    assert.match(findings[0].message, /^2 awaits/);
  });
});

describe('concurrency configuration', () => {
  const source = `import { api } from './api';
export async function f(id: string) {
  const user = await api.getUser(id);
  const posts = await api.getPosts(id);
  return { user, posts };
}
`;
  async function lintWith(concurrency: { safe?: string[]; stateful?: string[] } | undefined, text: string) {
    const linter = await testLinter();
    const file = path.join(FIXTURES, 'sequential-await', `in-memory-${++counter}.ts`);
    const config = { ...onlyRule('sequential-await', file), concurrency };
    return linter.lint(file, text, config).findings;
  }

  it('a receiver of unknown kind that both calls share keeps them apart by default', async () => {
    assert.equal((await lintWith(undefined, source)).length, 0);
  });

  it('naming the receiver type safe lets both calls share it', async () => {
    // `api`'s type is an anonymous object type; a named interface is what projects configure.
    const text = `interface ApiClient { get(p: string): Promise<string> }
declare const client: ApiClient;
export async function f() {
  const a = await client.get('/a');
  const b = await client.get('/b');
  return a + b;
}
`;
    assert.equal((await lintWith(undefined, text)).length, 0);
    assert.equal((await lintWith({ safe: ['ApiClient'] }, text)).length, 1);
  });

  it('naming a type stateful keeps calls with it as an argument apart', async () => {
    const text = `interface Handle { id: number }
declare function a(h: Handle): Promise<number>;
declare function b(h: Handle): Promise<number>;
declare const handle: Handle;
export async function f() {
  const x = await a(handle);
  const y = await b(handle);
  return x + y;
}
`;
    assert.equal((await lintWith(undefined, text)).length, 1);
    assert.equal((await lintWith({ stateful: ['Handle'] }, text)).length, 0);
  });
});

describe('await-in-loop (TypeScript)', () => {
  const noFix: Record<string, string> = {
    'a classic for loop': `for (let i = 0; i < ids.length; i++) {
    await save(ids[i]);
  }`,
    'a for...in loop': `for (const k in table) {
    await save(k);
  }`,
    'a filter (if + push)': `const kept: string[] = [];
  for (const id of ids) {
    if (await check(id)) kept.push(id);
  }`,
    'a keyed write': `for (const id of ids) {
    table[id] = await fetchItem(id);
  }`,
    'a body that throws': `for (const id of ids) {
    const ok = await check(id);
    if (!ok) throw new Error(id);
  }`,
    'a var binding': `for (var id of ids) {
    await save(id);
  }`,
    'a push to a property': `const state = { items: [] as string[] };
  for (const id of ids) {
    state.items.push(await fetchItem(id));
  }`,
    // Broken code (a fuzz finding): TypeScript parses the dangling comma and starts a new statement
    // at \`for\`; any replacement of the loop would run on as one more declaration.
    'a loop right after a dangling comma': `const out: string[] = [],
  for (const id of ids) out.push(await fetchItem(id));`,
  };
  for (const [name, body] of Object.entries(noFix)) {
    it(`reports ${name} without a fix`, async () => {
      const { findings } = await lint(
        'await-in-loop',
        `import { check, fetchItem, save } from './lib';
export async function f(ids: string[], table: Record<string, string>) {
  ${body}
}
`,
      );
      assert.equal(findings.length, 1, 'one finding');
      assert.deepEqual(findings[0].fixes, []);
    });
  }

  it('anchors on the first await and reports several awaits in one body once', async () => {
    const { findings, text } = await lint(
      'await-in-loop',
      `import { save } from './lib';
export async function f(ids: string[]) {
  for (const id of ids) { await save(id); await save(id + '!'); }
}
`,
    );
    assert.equal(findings.length, 1);
    const start = text.indexOf('await save(id)');
    assert.equal(findings[0].start, start);
    assert.equal(findings[0].end, start + 'await save(id)'.length);
    assert.equal(findings[0].fixes.length, 1);
    assert.equal(findings[0].fixes[0].safe, false);
  });

  it('reports each of two independent nested loops on its own awaits only', async () => {
    const { findings, text } = await lint(
      'await-in-loop',
      `import { save } from './lib';
export async function f(groups: string[][]) {
  for (const g of groups) {
    await save(g.join());
    for (const id of g) {
      await save(id);
    }
  }
}
`,
    );
    assert.deepEqual(
      findings.map((f) => f.range.start.line),
      [lineOf(text, 'save(g.join())'), lineOf(text, 'save(id)')],
    );
  });
});

describe('async-callback (TypeScript)', () => {
  it('anchors on the head of an inline function and explains the method', async () => {
    const { findings, text } = await lint(
      'async-callback',
      `import { isValid } from './lib';
export function f(ids: string[]) {
  return ids.filter(async (id) => {
    return isValid(id);
  });
}
`,
    );
    assert.equal(findings.length, 1);
    const start = text.indexOf('async (id) =>');
    assert.equal(findings[0].start, start);
    assert.equal(findings[0].end, start + 'async (id) =>'.length);
    assert.match(findings[0].message, /filter keeps every element/);
    assert.deepEqual(findings[0].fixes, [], 'no fix for filter');
  });

  it('offers no fix outside an async function, for an optional call, or for a forEach used as a value', async () => {
    const { findings } = await lint(
      'async-callback',
      `import { save } from './lib';
export function sync(ids: string[]) {
  ids.forEach(async (id) => save(id));
}
export async function optional(ids?: string[]) {
  ids?.forEach(async (id) => save(id));
}
export async function value(ids: string[]) {
  return ids.forEach(async (id) => save(id));
}
`,
    );
    assert.equal(findings.length, 3);
    for (const f of findings) assert.deepEqual(f.fixes, []);
  });

  it('offers Promise.all first, then for...of, both as suggestions', async () => {
    const { findings } = await lint(
      'async-callback',
      `import { save } from './lib';
export async function f(ids: string[]) {
  ids.forEach(async (id) => save(id));
}
`,
    );
    assert.deepEqual(
      findings[0].fixes.map((x) => [x.title, x.safe]),
      [
        ['Await all with Promise.all(xs.map(...))', false],
        ['Rewrite as a for...of loop that awaits each item', false],
      ],
    );
  });

  const promiseAllOnly: Record<string, string> = {
    'a callback that returns early': `ids.forEach(async (id) => {
    if (!id) return;
    await save(id);
  });`,
    'a function expression that reads this': `ids.forEach(async function (id) {
    await save(id + String(this));
  });`,
    'a parameter that names the receiver too': `ids.forEach(async (ids) => save(ids));`,
    'a this argument': `ids.forEach(async (id) => save(id), null);`,
    'a reference': `ids.forEach(save);`,
  };
  for (const [name, statement] of Object.entries(promiseAllOnly)) {
    it(`offers only the Promise.all fix for ${name}`, async () => {
      const { findings } = await lint(
        'async-callback',
        `import { save } from './lib';
export async function f(ids: string[]) {
  ${statement}
}
`,
      );
      assert.equal(findings.length, 1);
      assert.deepEqual(
        findings[0].fixes.map((x) => x.title),
        ['Await all with Promise.all(xs.map(...))'],
      );
    });
  }

  it('offers only the for...of fix for a Map (it has no map method)', async () => {
    const { findings } = await lint(
      'async-callback',
      `import { save } from './lib';
export async function f(table: Map<string, string>) {
  table.forEach(async (v) => save(v));
}
`,
    );
    assert.deepEqual(
      findings[0].fixes.map((x) => x.title),
      ['Rewrite as a for...of loop that awaits each item'],
    );
  });

  it('does not flag a Map method other than forEach', async () => {
    const { findings } = await lint(
      'async-callback',
      `import { isValid } from './lib';
export function f(m: Map<string, string> & { find(p: (v: string) => Promise<boolean>): void }) {
  m.find(async (v) => isValid(v));
}
`,
    );
    assert.deepEqual(findings, []);
  });
});
