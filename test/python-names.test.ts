// Name resolution for Python (server/src/python/names.ts, scope.ts): callees resolve through
// imports and aliases to qualified names, local definitions shadow builtins and imports, the
// innermost enclosing function decides "inside async def", and receivers get kinds.
import assert from 'node:assert/strict';
import { Catalog } from '../server/src/python/catalog';
import { NameResolver, type WorkspaceLookup } from '../server/src/python/names';
import { createPythonParser, loadPython } from '../server/src/python/parser';
import { walkTree } from '../server/src/python/rule';
import type { SyntaxNode as Node, SyntaxTree as Tree } from '../server/src/python/syntax';
import { readTree } from '../server/src/python/wasm';

async function resolver(source: string, workspace?: WorkspaceLookup): Promise<{ names: NameResolver; tree: Tree }> {
  await loadPython();
  const parsed = createPythonParser().parse(source)!;
  const tree = readTree(parsed, source);
  parsed.delete();
  return {
    names: new NameResolver(tree, new Catalog(), { moduleName: 'app.main', packageName: 'app' }, workspace),
    tree,
  };
}

/** The outermost call on the line marked `# here`. */
function markedCall(tree: Tree, source: string): Node {
  const line = source.split('\n').findIndex((l) => l.includes('# here'));
  assert.ok(line >= 0, 'no # here marker');
  let found: Node | undefined;
  walkTree(tree.rootNode, (n) => {
    if (found) return false;
    if (n.type === 'call' && n.startPosition.row === line) {
      found = n;
      return false;
    }
  });
  assert.ok(found, `no call on line ${line + 1}`);
  return found;
}

describe('python names: callee qualified names', () => {
  const cases: [string, string, string | undefined][] = [
    ['module import', 'import time\nasync def f():\n    time.sleep(1)  # here', 'time.sleep'],
    ['aliased module', 'import time as t\nasync def f():\n    t.sleep(1)  # here', 'time.sleep'],
    ['from import', 'from time import sleep\nasync def f():\n    sleep(1)  # here', 'time.sleep'],
    ['aliased from import', 'from requests import get as http_get\nhttp_get(u)  # here', 'requests.get'],
    ['dotted import', 'import urllib.request\nurllib.request.urlopen(u)  # here', 'urllib.request.urlopen'],
    ['dotted import as', 'import os.path as p\np.exists(x)  # here', 'os.path.exists'],
    ['submodule from import', 'from urllib import request\nrequest.urlopen(u)  # here', 'urllib.request.urlopen'],
    ['builtin', 'async def f():\n    open(p)  # here', 'builtins.open'],
    ['builtin shadowed by module def', 'def open(p): ...\nasync def f():\n    open(p)  # here', 'app.main.open'],
    ['builtin shadowed by module assignment', 'open = make_opener()\nasync def f():\n    open(p)  # here', undefined],
    ['builtin shadowed by a parameter', 'async def f(open):\n    open(p)  # here', undefined],
    [
      'builtin shadowed by a local assignment later in the function',
      'async def f():\n    open(p)  # here\n    open = 1',
      undefined,
    ],
    ['import shadowed by a local', 'import time\nasync def f(time):\n    time.sleep(1)  # here', undefined],
    ['import inside the function', 'async def f():\n    import time as tm\n    tm.sleep(1)  # here', 'time.sleep'],
    [
      'global declaration binds at module level',
      'def g():\n    global open\n    open = 1\nasync def f():\n    open(p)  # here',
      undefined,
    ],
    [
      'class body names are not visible in methods',
      'class C:\n    open = staticmethod(x)\n    async def m(self):\n        open(p)  # here',
      'builtins.open',
    ],
    ['relative import', 'from .db import fetch_user\nfetch_user(1)  # here', 'app.db.fetch_user'],
    ['relative import of a module', 'from . import db\ndb.fetch_user(1)  # here', 'app.db.fetch_user'],
    ['parent-relative import', 'from .. import x\nx.y()  # here', undefined],
    [
      'conditional import agreeing',
      'try:\n    import ujson as json\nexcept ImportError:\n    import json\njson.loads(s)  # here',
      undefined,
    ],
    [
      'same-file method via self',
      'class C:\n    async def load(self): ...\n    async def run(self):\n        self.load()  # here',
      'app.main.C.load',
    ],
    [
      'method via a same-file base class',
      'class B:\n    async def load(self): ...\nclass C(B):\n    async def run(self):\n        self.load()  # here',
      'app.main.C.load',
    ],
    ['asyncio.gather', 'import asyncio\nasyncio.gather(a(), b())  # here', 'asyncio.gather'],
  ];
  for (const [title, source, want] of cases) {
    it(title, async () => {
      const { names, tree } = await resolver(source);
      assert.equal(names.callee(markedCall(tree, source)).qname, want);
    });
  }
});

describe('python names: kinds of receivers', () => {
  const cases: [string, string, string | undefined][] = [
    [
      'running loop',
      'import asyncio\nasync def f():\n    loop = asyncio.get_running_loop()\n    loop.call_soon(g)  # here',
      'asyncio.AbstractEventLoop.call_soon',
    ],
    [
      'loop from a call',
      'import asyncio\nasyncio.get_event_loop().run_until_complete(m())  # here',
      'asyncio.AbstractEventLoop.run_until_complete',
    ],
    ['queue', 'import asyncio\nasync def f():\n    q = asyncio.Queue()\n    q.put(1)  # here', 'asyncio.Queue.put'],
    [
      'stream writer from open_connection',
      'import asyncio\nasync def f():\n    reader, writer = await asyncio.open_connection(h, p)\n    writer.drain()  # here',
      'asyncio.StreamWriter.drain',
    ],
    [
      'stream reader from open_connection',
      'import asyncio\nasync def f():\n    reader, writer = await asyncio.open_connection(h, p)\n    reader.readline()  # here',
      'asyncio.StreamReader.readline',
    ],
    [
      'a comment among the targets does not shift the unpacked item',
      'import asyncio\nasync def f():\n    (reader,  # the first\n     writer) = await asyncio.open_connection(h, p)\n    writer.drain()  # here',
      'asyncio.StreamWriter.drain',
    ],
    [
      'open_connection not awaited is no tuple',
      'import asyncio\nasync def f():\n    reader, writer = asyncio.open_connection(h, p)\n    writer.drain()  # here',
      undefined,
    ],
    [
      'requests session',
      'import requests\nasync def f():\n    s = requests.Session()\n    s.post(u)  # here',
      'requests.Session.post',
    ],
    [
      'requests session in with',
      'import requests\nasync def f():\n    with requests.Session() as s:\n        s.get(u)  # here',
      'requests.Session.get',
    ],
    [
      'path constructed',
      'from pathlib import Path\nasync def f():\n    p = Path("x")\n    p.read_text()  # here',
      'pathlib.Path.read_text',
    ],
    [
      'path annotated',
      'import pathlib\nasync def f(p: pathlib.Path):\n    p.write_bytes(b)  # here',
      'pathlib.Path.write_bytes',
    ],
    [
      'path joined with /',
      'from pathlib import Path\nasync def f(root: Path):\n    (root / "a").read_bytes()  # here',
      'pathlib.Path.read_bytes',
    ],
    [
      'socket from create_connection',
      'import socket\nasync def f():\n    sock = socket.create_connection((h, p))\n    sock.sendall(b)  # here',
      'socket.socket.sendall',
    ],
    [
      'task group',
      'import asyncio\nasync def f():\n    async with asyncio.TaskGroup() as tg:\n        tg.create_task(g())  # here',
      'asyncio.TaskGroup.create_task',
    ],
    [
      'reassigned to something else',
      'import asyncio\nasync def f(x):\n    q = asyncio.Queue()\n    q = x\n    q.put(1)  # here',
      undefined,
    ],
    [
      'module-level kind seen from a function',
      'import requests\nsession = requests.Session()\nasync def f():\n    session.get(u)  # here',
      'requests.Session.get',
    ],
    ['unknown receiver', 'async def f(client):\n    client.get(u)  # here', undefined],
    [
      'a user class with a method named like a blocking one',
      'class Store:\n    def get(self, k): ...\nasync def f():\n    s = Store()\n    s.get(1)  # here',
      'app.main.Store.get',
    ],
  ];
  for (const [title, source, want] of cases) {
    it(title, async () => {
      const { names, tree } = await resolver(source);
      assert.equal(names.callee(markedCall(tree, source)).qname, want);
    });
  }
});

describe('python names: enclosing function', () => {
  const cases: [string, string, boolean][] = [
    ['async def', 'async def f():\n    g()  # here', true],
    ['sync def', 'def f():\n    g()  # here', false],
    ['module level', 'g()  # here', false],
    ['sync def nested in async def', 'async def f():\n    def worker():\n        g()  # here', false],
    ['a lambda in async def is sync', 'async def f():\n    h(lambda: g())  # here', false],
    ['async def nested in sync def', 'def f():\n    async def inner():\n        g()  # here', true],
    ['comprehension in async def', 'async def f():\n    [g(x) for x in xs]  # here', true],
    [
      'default value of an async def runs outside it',
      'def outer():\n    async def f(x=g()):  # here\n        pass',
      false,
    ],
    ['class body inside async def', 'async def f():\n    class C:\n        y = g()  # here', true],
  ];
  for (const [title, source, isAsync] of cases) {
    it(title, async () => {
      const { names, tree } = await resolver(source);
      const call = markedCall(tree, source);
      const inner = call.text.startsWith('h(')
        ? call.childForFieldName('arguments')!.namedChild(0)!.childForFieldName('body')!
        : call;
      assert.equal(names.inAsyncFunction(inner), isAsync);
    });
  }
});

describe('python names: coroutine functions', () => {
  const cases: [string, string, boolean][] = [
    ['same-file async def', 'async def fetch(): ...\nfetch()  # here', true],
    ['same-file sync def', 'def fetch(): ...\nfetch()  # here', false],
    ['nested async def', 'def outer():\n    async def inner(): ...\n    inner()  # here', true],
    [
      'self method async',
      'class C:\n    async def load(self): ...\n    def run(self):\n        self.load()  # here',
      true,
    ],
    [
      'other class with the same method name, sync',
      'class A:\n    async def load(self): ...\nclass B:\n    def load(self): ...\n    def run(self):\n        self.load()  # here',
      false,
    ],
    [
      'instance of a same-file class',
      'class Repo:\n    async def get(self): ...\nasync def f():\n    r = Repo()\n    r.get()  # here',
      true,
    ],
    ['library coroutine', 'import asyncio\nasyncio.sleep(1)  # here', true],
    ['aliased library coroutine', 'import asyncio as aio\naio.wait_for(x, 1)  # here', true],
    ['queue put', 'import asyncio\nq = asyncio.Queue()\nq.put(1)  # here', true],
    ['not a coroutine: gather', 'import asyncio\nasyncio.gather()  # here', false],
    ['imported async def (workspace)', 'from app.db import fetch_user\nfetch_user(1)  # here', true],
    ['imported sync def (workspace)', 'from app.db import load\nload(1)  # here', false],
    [
      'async method of an imported class',
      'from app.db import Repo\nasync def f():\n    r = Repo()\n    r.get()  # here',
      true,
    ],
  ];
  const workspace: WorkspaceLookup = {
    lookup(q) {
      if (q === 'app.db.fetch_user') return { kind: 'function', isAsync: true, file: 'db.py' };
      if (q === 'app.db.load') return { kind: 'function', isAsync: false, file: 'db.py' };
      if (q === 'app.db.Repo') return { kind: 'class', qname: q, file: 'db.py' };
      if (q === 'app.db.Repo.get') return { kind: 'function', isAsync: true, file: 'db.py' };
      return undefined;
    },
  };
  for (const [title, source, want] of cases) {
    it(title, async () => {
      const { names, tree } = await resolver(source, workspace);
      assert.equal(names.callsCoroutineFunction(markedCall(tree, source)), want);
    });
  }
});
