// countNameUsages: how the Python unused-async rule sees a name's uses across the workspace.
import assert from 'node:assert/strict';
import { countNameUsages } from '../server/src/python/module-index';

describe('Python name usages (unused-async)', () => {
  const text = [
    'from .jobs import tick, (tock)',
    'import helpers as h',
    '',
    '',
    'class Store(Base):',
    '    async def size(self):',
    '        return len(self.items)',
    '',
    '    async def report(self):',
    '        total = await self.size()',
    '        more = await super().size()',
    '        deep = await self.inner[0].size()  # through a subscript too',
    '        await asyncio.gather(tick(), tock())',
    '        await h.tick()',
    '        self.callback = self.report',
    '        print(\'size() in a string\', f"{total}")  # size() in a comment',
    '        return await (await tick())',
    '',
    '',
    'def size():',
    '    return 0',
    '',
  ].join('\n');
  const u = countNameUsages(text);

  it('counts awaited calls, through attribute chains and super()', () => {
    assert.deepEqual(u.get('size'), { awaitedCalls: 3, other: 0, definitions: 2 });
  });

  it('counts a call whose coroutine goes elsewhere, and a value, as other uses', () => {
    assert.deepEqual(u.get('tock'), { awaitedCalls: 0, other: 1, definitions: 0 });
    assert.deepEqual(u.get('report'), { awaitedCalls: 0, other: 1, definitions: 1 });
  });

  it('leaves import statements, strings and comments out', () => {
    // `tick` in the import line is not a use: gather(tick()) is other, h.tick() and (await tick()) are awaited.
    assert.deepEqual(u.get('tick'), { awaitedCalls: 2, other: 1, definitions: 0 });
    assert.equal(u.get('helpers'), undefined);
  });
});
