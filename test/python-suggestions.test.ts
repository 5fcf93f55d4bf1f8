// What the fixture harness cannot say: Python findings of sequential-await, await-in-loop,
// async-callback, unawaited and dangling-task that are reported but offer no fix, because no mechanical rewrite keeps the
// code's meaning, and the fixes that are offered being suggestions (never applied by --fix or
// fix-all).
import assert from 'node:assert/strict';
import path from 'node:path';
import { FIXTURES, onlyRule, testLinter } from './helpers';

async function findings(ruleId: string, text: string) {
  const file = path.join(FIXTURES, ruleId, 'unit.py');
  const linter = await testLinter();
  const result = linter.lint(file, text, onlyRule(ruleId, file));
  assert.deepEqual(result.ruleFailures, []);
  return result.findings;
}

/** Asserts exactly one finding of `ruleId` in `text`, and that it offers no fix. */
async function reportedWithoutFix(ruleId: string, text: string): Promise<void> {
  const found = await findings(ruleId, text);
  assert.equal(found.length, 1, `expected one finding, got ${found.length}`);
  assert.deepEqual(found[0].fixes, [], 'no fix expected');
}

const loop = (body: string) => `import asyncio\n\n\nasync def run(items, api, out):\n${body}`;

describe('await-in-loop (Python): findings without a fix', () => {
  it('a loop with an else clause', () =>
    reportedWithoutFix(
      'await-in-loop',
      loop('    for x in items:\n        await api.put(x)\n    else:\n        print("done")\n'),
    ));

  it('a loop variable read after the loop', () =>
    reportedWithoutFix('await-in-loop', loop('    for x in items:\n        await api.put(x)\n    return x\n')));

  it('a body of more than one statement', () =>
    reportedWithoutFix('await-in-loop', loop('    for x in items:\n        y = x + 1\n        await api.put(y)\n')));

  it('results stored by key', () =>
    reportedWithoutFix('await-in-loop', loop('    for x in items:\n        out[x] = await api.get(x)\n')));

  it('an awaited call whose arguments await too', () =>
    reportedWithoutFix('await-in-loop', loop('    for x in items:\n        await api.put(await api.prepare(x))\n')));

  it('a collector that depends on the loop variable', () =>
    reportedWithoutFix('await-in-loop', loop('    for x in items:\n        out[x.kind].append(await api.get(x))\n')));

  it('an attribute as the loop target', () =>
    reportedWithoutFix('await-in-loop', loop('    for api.current in items:\n        await api.put(1)\n')));
});

describe('sequential-await (Python): findings without a fix', () => {
  it('a function where `asyncio` names something else', () =>
    reportedWithoutFix(
      'sequential-await',
      'import asyncio\n\n\nasync def run(api, asyncio):\n    a = await one()\n    b = await two()\n    return a, b\n',
    ));

  it('a one-line block whose fix would need lines above (an annotation)', () =>
    reportedWithoutFix(
      'sequential-await',
      'import asyncio\n\n\nasync def run(api, flag):\n    if flag: a: int = await one(); b = await two()\n    return a, b\n',
    ));
});

const callbacks = (body: string) =>
  `import asyncio\n\n\nasync def tick(*args):\n    await asyncio.sleep(0)\n\n\ndef schedule(loop: asyncio.AbstractEventLoop, f):\n${body}`;

describe('async-callback (Python): findings without a fix', () => {
  it('call_soon: the task needs a place to be kept', () =>
    reportedWithoutFix('async-callback', callbacks('    loop.call_soon(tick, 1)\n')));
  it('call_later', () => reportedWithoutFix('async-callback', callbacks('    loop.call_later(1, tick)\n')));
  it('call_soon_threadsafe with a keyword argument', () =>
    reportedWithoutFix('async-callback', callbacks('    loop.call_soon_threadsafe(tick, 1, context=None)\n')));
  it('call_soon_threadsafe with a lambda', () =>
    reportedWithoutFix('async-callback', callbacks('    loop.call_soon_threadsafe(lambda: tick())\n')));
  it('call_soon_threadsafe on a loop that is not a plain name', () =>
    reportedWithoutFix('async-callback', callbacks('    asyncio.get_event_loop().call_soon_threadsafe(tick)\n')));
  it('a coroutine object', () =>
    reportedWithoutFix('async-callback', callbacks('    loop.call_soon_threadsafe(tick())\n')));
});

describe('unawaited (Python): findings without a fix', () => {
  // A fuzz finding: in a file that does not parse, tree-sitter recovered `fetch_user(1)` as a
  // statement sharing its line with another; wrapping it in asyncio.run(...) broke the file further.
  const defs = 'import asyncio\n\n\nasync def fetch_user(i):\n    return i\n\n\n';
  it('a module-level call sharing its line with another statement', () =>
    reportedWithoutFix('unawaited', `${defs}session()    fetch_user(1)\n`));
  it('a call in a coroutine sharing its line with another statement', () =>
    reportedWithoutFix('unawaited', `${defs}async def main():\n    session()    fetch_user(1)\n`));
  it('the same calls on lines of their own get their fixes', async () => {
    const found = await findings('unawaited', `${defs}fetch_user(1)\n\n\nasync def main():\n    fetch_user(2)\n`);
    assert.deepEqual(
      found.map((f) => f.fixes.map((x) => x.title)),
      [["Run it with 'asyncio.run(...)'"], ["Add 'await'"]],
    );
  });
});

describe('dangling-task (Python): findings without a fix', () => {
  // A fuzz finding: tree-sitter recovered `import asyncio` and another statement on one line; the
  // task set inserted after that import landed mid-line.
  const body = 'async def main():\n    asyncio.create_task(work())\n';
  const defs = 'async def work():\n    return 1\n\n\n';
  it('when the import the task set would follow shares its line with another statement', () =>
    reportedWithoutFix('dangling-task', `import asyncio time.sleep(1)\n\n\n${defs}${body}`));
  it('the same module with the import on a line of its own gets the fix', async () => {
    const found = await findings('dangling-task', `import asyncio\n\n\n${defs}${body}`);
    assert.deepEqual(
      found.map((f) => f.fixes.length),
      [1],
    );
  });
});

describe('Python concurrency fixes are suggestions', () => {
  it('sequential-await, await-in-loop and async-callback never offer a safe fix', async () => {
    const text = loop('    a = await one()\n    b = await two()\n    for x in items:\n        await api.put(x)\n');
    const all = [
      ...(await findings('sequential-await', text)),
      ...(await findings('await-in-loop', text)),
      ...(await findings('async-callback', callbacks('    loop.call_soon_threadsafe(tick)\n'))),
    ];
    assert.equal(all.length, 3);
    for (const f of all) {
      assert.equal(f.fixes.length, 1);
      assert.equal(f.fixes[0].safe, false);
    }
  });
});
