// The Python module index (server/src/python/module-index.ts): module names in src/ layouts and
// packages, relative imports, re-exports through __init__.py, each module parsed once per run,
// open documents' unsaved text, and changes on disk. Also lints the fixture packages that the
// data-driven harness (which lists only top-level files) does not reach: every `expect:` marker
// must be flagged and no other line.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Linter } from '../server/src/engine/linter';
import { PythonBackend } from '../server/src/python/backend';
import { nodeIndexFileSystem, type IndexFileSystem } from '../server/src/python/module-index';
import { RULES } from '../server/src/engine/rules';
import { expectedLines, FIXTURES, onlyRule } from './helpers';

const PROJECT = path.join(FIXTURES, 'python-project');
const UNAWAITED_PKG = path.join(FIXTURES, 'unawaited', 'pkg');

function pyFiles(dir: string): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length > 0) {
    const d = stack.pop()!;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.name.endsWith('.py')) out.push(p);
    }
  }
  return out.sort();
}

async function pythonLinter(backend = new PythonBackend()): Promise<{ linter: Linter; backend: PythonBackend }> {
  const linter = new Linter([backend]);
  await linter.ready();
  return { linter, backend };
}

describe('python module index: fixture packages', () => {
  const files = [...pyFiles(PROJECT), ...pyFiles(UNAWAITED_PKG)];
  for (const file of files) {
    for (const ruleId of ['unawaited', 'blocking-call']) {
      it(`${ruleId}: flags exactly the marked lines of ${path.relative(FIXTURES, file)}`, async () => {
        const { linter, backend } = await pythonLinter();
        backend.prepare(files);
        const text = fs.readFileSync(file, 'utf8');
        const result = linter.lint(file, text, onlyRule(ruleId, file));
        assert.deepEqual(result.ruleFailures, []);
        const actual = result.findings.map((f) => f.range.start.line + 1).sort((a, b) => a - b);
        const expected = [...expectedLines(text, ruleId).keys()].map((l) => l + 1).sort((a, b) => a - b);
        assert.deepEqual(
          actual,
          expected,
          result.findings.map((f) => `${f.range.start.line + 1}: ${f.message}`).join('\n'),
        );
      });
    }
  }

  it('the fixture packages have markers for both rules (the checks above can fail)', () => {
    const all = files.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    assert.ok(expectedLines(all, 'unawaited').size >= 10);
    assert.ok(expectedLines(all, 'blocking-call').size >= 3);
  });
});

describe('examples/py-service', () => {
  it('shows a finding of every Python rule, the cross-module ones included', async () => {
    const { linter, backend } = await pythonLinter();
    const files = pyFiles(path.join(FIXTURES, '..', '..', 'examples', 'py-service'));
    backend.prepare(files);
    const found = new Set<string>();
    for (const file of files) {
      const result = linter.lint(file, fs.readFileSync(file, 'utf8'), allPythonRules(file));
      assert.deepEqual(result.ruleFailures, []);
      for (const f of result.findings) found.add(f.ruleId);
    }
    assert.deepEqual([...found].sort(), [...backend.ruleIds].sort());
  });
});

function allPythonRules(file: string) {
  const config = onlyRule('unawaited', file);
  const severities = new Map(config.severities);
  for (const r of RULES) if (r.languages.includes('python')) severities.set(r.id, r.defaultSeverity);
  return { ...config, severities };
}

describe('python module index: locations and lookups', () => {
  it('names modules in a src/ layout, in packages, and outside them', () => {
    const ws = new PythonBackend().workspace;
    const at = (rel: string) => ws.locate(path.join(PROJECT, rel));
    assert.equal(ws.rootOf(path.join(PROJECT, 'src/shop/jobs/nightly.py')), PROJECT);
    assert.deepEqual([at('src/shop/api.py').moduleName, at('src/shop/api.py').packageName], ['shop.api', 'shop']);
    assert.deepEqual([at('src/shop/__init__.py').moduleName, at('src/shop/__init__.py').packageName], ['shop', 'shop']);
    assert.deepEqual(
      [at('src/shop/jobs/nightly.py').moduleName, at('src/shop/jobs/nightly.py').packageName],
      ['shop.jobs.nightly', 'shop.jobs'],
    );
    assert.equal(at('tests/test_api.py').moduleName, 'tests.test_api');
    assert.ok(at('tests/test_api.py').searchPaths.includes(path.join(PROJECT, 'src')));
  });

  it('resolves modules and follows re-exports, aliases and base classes', async () => {
    const { backend } = await pythonLinter();
    const index = backend.workspace.indexFor(path.join(PROJECT, 'tests/test_api.py'));
    const from = path.join(PROJECT, 'tests/test_api.py');
    assert.equal(index.resolveModule('shop.db', from), path.join(PROJECT, 'src/shop/db.py'));
    assert.equal(index.resolveModule('shop', from), path.join(PROJECT, 'src/shop/__init__.py'));
    assert.equal(index.resolveModule('shop.nowhere', from), undefined);
    assert.deepEqual(index.lookup('shop.fetch_order', from), {
      kind: 'function',
      isAsync: true,
      file: path.join(PROJECT, 'src/shop/db.py'),
    });
    assert.deepEqual(index.lookup('shop.Repo', from), {
      kind: 'class',
      qname: 'shop.db.Repository',
      file: path.join(PROJECT, 'src/shop/db.py'),
    });
    assert.equal(index.lookup('shop.db.count_orders', from)?.kind, 'function');
    assert.equal((index.lookup('shop.db.count_orders', from) as { isAsync: boolean }).isAsync, false);
    // Inherited from BaseRepository, through the package's alias.
    assert.equal((index.lookup('shop.Repo.close', from) as { isAsync: boolean }).isAsync, true);
    assert.equal(index.lookup('shop.db.missing', from), undefined);
    assert.equal(index.lookup('shop.db', from)?.kind, 'module');
  });

  it('takes blocking-calls and coroutines from [tool.async-lint] in pyproject.toml, with the replacement as a suggestion', async () => {
    const { linter } = await pythonLinter();
    const api = path.join(PROJECT, 'src/shop/api.py');
    const text = fs.readFileSync(api, 'utf8');
    const blocking = linter.lint(api, text, onlyRule('blocking-call', api)).findings;
    const readBlob = blocking.find((f) => text.slice(f.start, f.end).startsWith('read_blob('));
    assert.ok(readBlob, 'shop.vendor.read_blob is configured as blocking');
    assert.deepEqual(
      readBlob.fixes.map((f) => [f.safe, f.edits.map((e) => e.newText)]),
      [[false, ['await vendor.aread_blob(order_id)']]],
    );
    const slow = blocking.find((f) => text.slice(f.start, f.end).startsWith('slow_hash('));
    assert.deepEqual(
      slow?.fixes.map((f) => f.safe),
      [false],
      'no replacement: the to_thread suggestion',
    );
    const unawaited = linter.lint(api, text, onlyRule('unawaited', api)).findings;
    assert.ok(
      unawaited.some((f) => f.message.includes("'legacy_fetch()'")),
      'shop.vendor.legacy_fetch is configured as a coroutine',
    );
  });

  it('summarises and parses each module once per content in a run, however many files import it', async () => {
    const reads = new Map<string, number>();
    const counting: IndexFileSystem = {
      ...nodeIndexFileSystem,
      readFile(f) {
        reads.set(f, (reads.get(f) ?? 0) + 1);
        return nodeIndexFileSystem.readFile(f);
      },
    };
    const { linter, backend } = await pythonLinter(new PythonBackend({ fs: counting }));
    const files = pyFiles(PROJECT);
    backend.prepare(files);
    let findings = 0;
    for (const file of files) {
      findings += linter.lint(file, fs.readFileSync(file, 'utf8'), onlyRule('unawaited', file)).findings.length;
    }
    assert.ok(findings >= 10, 'the run found the cross-module calls');
    for (const [file, n] of reads) assert.equal(n, 1, `${file} was read ${n} times`);
    const index = backend.workspace.indexFor(files[0]);
    // A module analysed before anyone imports it is summarised from its analysis tree: the index
    // parses at most the modules imported before their own turn.
    assert.ok(index.parsed > 0 && index.parsed <= reads.size, `${index.parsed} index parses for ${reads.size} reads`);
    // And the tree the index parsed for a module of the run is the one its analysis uses.
    assert.equal(backend.parseCount.full, files.length, 'one parse per module');
  });

  it("sees an open document's unsaved text instead of the disk, until it is closed", async () => {
    const { linter, backend } = await pythonLinter();
    const api = path.join(PROJECT, 'src/shop/api.py');
    const db = path.join(PROJECT, 'src/shop/db.py');
    const apiText = fs.readFileSync(api, 'utf8');
    const count = () => linter.lint(api, apiText, onlyRule('unawaited', api), { version: 1 }).findings.length;
    const before = count();
    // The editor turns fetch_order into a sync def without saving.
    const edited = fs.readFileSync(db, 'utf8').replace('async def fetch_order', 'def fetch_order');
    linter.lint(db, edited, onlyRule('unawaited', db), { version: 2 });
    assert.equal(count(), before - 3, 'get_order, db.fetch_order and database.fetch_order are sync now');
    backend.closeDocument(db);
    assert.equal(count(), before);
  });

  it('rules out missing import candidates from folder listings, with the same answers as asking each file', async () => {
    let asked = 0;
    const counting = (listFolder: boolean): IndexFileSystem => ({
      readFile: (f) => nodeIndexFileSystem.readFile(f),
      exists: (e) => nodeIndexFileSystem.exists(e),
      isFile(f) {
        asked++;
        return nodeIndexFileSystem.isFile(f);
      },
      ...(listFolder ? { listFolder: (d: string) => nodeIndexFileSystem.listFolder!(d) } : {}),
    });
    const from = path.join(PROJECT, 'tests/test_api.py');
    const names = [
      'shop.db',
      'shop',
      'shop.jobs.nightly',
      'shop.nowhere',
      'asyncio',
      'asyncio.sleep',
      'shop.db.Repository.close',
      'tests.test_api',
    ];
    const answers = (listFolder: boolean) => {
      asked = 0;
      const index = new PythonBackend({ fs: counting(listFolder) }).workspace.indexFor(from);
      return { found: names.map((n) => index.resolveModule(n, from)), asked };
    };
    const plain = answers(false);
    const listed = answers(true);
    assert.deepEqual(listed.found, plain.found);
    assert.equal(plain.found.filter(Boolean).length, 4, 'the names that exist are found');
    assert.ok(listed.asked * 4 < plain.asked, `${listed.asked} files asked with listings, ${plain.asked} without`);
  });

  it("resolves an open document's module in a folder not on disk yet", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lint-index-'));
    try {
      fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[project]\nname = "x"\n');
      const main = path.join(dir, 'main.py');
      fs.writeFileSync(main, 'from newpkg.mod import work\n');
      const { backend } = await pythonLinter();
      const index = backend.workspace.indexFor(main);
      assert.equal(index.resolveModule('newpkg.mod', main), undefined);
      const doc = path.join(dir, 'newpkg', 'mod.py');
      backend.workspace.setDocument(doc, 'async def work():\n    pass\n');
      assert.equal(index.resolveModule('newpkg.mod', main), doc);
      assert.deepEqual(index.lookup('newpkg.mod.work', main), { kind: 'function', isAsync: true, file: doc });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds a module on a file system that ignores case, whatever case its listing spells', async () => {
    // A case-insensitive disk: `Shop/DB.py` answers for `shop/db.py`.
    const files = new Map([
      ['/w/Shop/__init__.py', ''],
      ['/w/Shop/DB.py', 'async def fetch():\n    pass\n'],
      ['/w/pyproject.toml', ''],
    ]);
    const key = (f: string) => f.toLowerCase();
    const byKey = new Map([...files].map(([f, t]) => [key(f), t]));
    const folders = new Map<string, string[]>();
    for (const f of files.keys()) {
      for (let child = f, d = path.posix.dirname(f); child !== d; child = d, d = path.posix.dirname(d)) {
        const list = folders.get(key(d)) ?? [];
        if (!list.includes(path.posix.basename(child))) list.push(path.posix.basename(child));
        folders.set(key(d), list);
      }
    }
    const fs: IndexFileSystem = {
      readFile: (f) => byKey.get(key(f)),
      isFile: (f) => byKey.has(key(f)),
      exists: (e) => byKey.has(key(e)) || folders.has(key(e)),
      listFolder: (d) => folders.get(key(d)) ?? null,
    };
    const backend = new PythonBackend({ fs });
    await backend.ready();
    const ws = backend.workspace;
    const from = '/w/shop/api.py';
    const index = ws.indexFor(from);
    assert.equal(index.resolveModule('shop.db', from), '/w/shop/db.py');
    assert.equal(index.lookup('shop.db.fetch', from)?.kind, 'function');
    assert.equal(index.resolveModule('shop.other', from), undefined);
  });

  it('follows changes on disk reported by fileChanged', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lint-index-'));
    try {
      fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[project]\nname = "x"\n');
      fs.mkdirSync(path.join(dir, 'app'));
      fs.writeFileSync(path.join(dir, 'app', '__init__.py'), '');
      const lib = path.join(dir, 'app', 'lib.py');
      const main = path.join(dir, 'app', 'main.py');
      fs.writeFileSync(lib, 'def work():\n    return 1\n');
      const mainText = 'from .lib import work\n\n\nasync def run():\n    work()\n';
      fs.writeFileSync(main, mainText);
      const { linter, backend } = await pythonLinter();
      const lint = () => linter.lint(main, mainText, onlyRule('unawaited', main)).findings.length;
      assert.equal(lint(), 0);
      fs.writeFileSync(lib, 'async def work():\n    return 1\n');
      assert.equal(lint(), 0, 'cached until told');
      backend.fileChanged(lib);
      assert.equal(lint(), 1);
      fs.rmSync(lib);
      backend.fileChanged(lib);
      assert.equal(lint(), 0, 'a deleted module resolves to nothing');
      fs.mkdirSync(path.join(dir, 'app', 'lib'));
      fs.writeFileSync(path.join(dir, 'app', 'lib', '__init__.py'), 'async def work():\n    pass\n');
      backend.fileChanged(path.join(dir, 'app', 'lib', '__init__.py'));
      assert.equal(lint(), 1, 'a package replaces the module');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
