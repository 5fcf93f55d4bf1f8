// The file walker on real temporary folders (symlinks, .gitignore files), plus two cases that need
// a file system the test controls: a folder that cannot be read (we run as root, so chmod would
// not stop us) and a tree thousands of levels deep.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  compileGlobs,
  nodeWalkFileSystem,
  walk,
  type WalkFileSystem,
  type WalkOptions,
} from '../server/src/engine/walk';
import { createLinter } from '../server/src/languages';

const linter = createLinter();
const supports = (f: string) => linter.supports(f);

/** Creates files from a path -> content map (content null: an empty folder). */
function makeTree(root: string, files: Record<string, string | null>): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    if (content === null) {
      fs.mkdirSync(abs, { recursive: true });
    } else {
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, content);
    }
  }
}

describe('file walker', () => {
  let tmp: string;
  let n = 0;
  let root: string;

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'async-lint-walk-'));
  });
  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  beforeEach(() => {
    root = path.join(tmp, `case${n++}`);
    fs.mkdirSync(root);
  });

  const run = (paths: string[], options: Partial<WalkOptions> = {}) => {
    const result = walk(paths, { cwd: root, supports, ...options });
    return {
      files: result.files.map((f) => path.relative(root, f).split(path.sep).join('/')),
      issues: result.issues.map((i) => ({ ...i, path: path.relative(root, i.path).split(path.sep).join('/') })),
    };
  };

  it('lists supported files and skips dependency, build and VCS folders and declaration files', () => {
    makeTree(root, {
      'src/a.ts': '',
      'src/b.tsx': '',
      'src/c.mjs': '',
      'src/d.cjs': '',
      'src/e.py': '',
      'src/types.d.ts': '',
      'src/readme.md': '',
      'src/data.json': '{}',
      'node_modules/pkg/index.js': '',
      'src/node_modules/x.js': '',
      'dist/out.js': '',
      'build/x.js': '',
      'out/x.js': '',
      'coverage/x.js': '',
      '.git/hooks/x.js': '',
      'pkg/__pycache__/x.py': '',
      '.venv/lib/x.py': '',
      'lib/z.js': '',
    });
    const { files, issues } = run(['.']);
    const expected = ['lib/z.js', 'src/a.ts', 'src/b.tsx', 'src/c.mjs', 'src/d.cjs'];
    // Python files are listed only when a Python backend is registered.
    if (linter.supports('x.py')) expected.push('src/e.py');
    assert.deepEqual([...files].sort(), expected.sort());
    assert.deepEqual(issues, []);
  });

  it('defaults to the current folder and returns files in a stable order', () => {
    makeTree(root, { 'b/x.ts': '', 'a/y.ts': '', 'top.ts': '', 'a/b/z.ts': '' });
    const first = run([]).files;
    assert.deepEqual(first, ['top.ts', 'a/y.ts', 'a/b/z.ts', 'b/x.ts']);
    assert.deepEqual(run(['.']).files, first);
  });

  it('honours .gitignore files, nested ones too, with negation and folder-only patterns', () => {
    makeTree(root, {
      '.gitignore': 'generated/\n*.gen.ts\n# a comment\nlocal.ts\n',
      'keep.ts': '',
      'local.ts': '',
      'x.gen.ts': '',
      'generated/a.ts': '',
      'src/generated/b.ts': '',
      'src/.gitignore': 'secret/\n!local.ts\n/only-here.ts\n',
      'src/local.ts': '',
      'src/only-here.ts': '',
      'src/deeper/only-here.ts': '',
      'src/secret/c.ts': '',
      'src/y.gen.ts': '',
      'other/secret/d.ts': '',
    });
    const { files } = run(['.']);
    assert.deepEqual([...files].sort(), ['keep.ts', 'other/secret/d.ts', 'src/deeper/only-here.ts', 'src/local.ts']);
  });

  it('reads .gitignore files from the repository root when walking a subfolder', () => {
    makeTree(root, {
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.gitignore': 'pkg/skip-me.ts\n',
      'pkg/skip-me.ts': '',
      'pkg/lint-me.ts': '',
    });
    const result = walk(['.'], { cwd: path.join(root, 'pkg'), supports });
    assert.deepEqual(result.files, [path.join(root, 'pkg', 'lint-me.ts')]);
  });

  it('does not read .gitignore files above cwd outside a repository', () => {
    makeTree(root, { '.gitignore': '*.ts\n', 'sub/a.ts': '' });
    const result = walk(['.'], { cwd: path.join(root, 'sub'), supports });
    assert.deepEqual(result.files, [path.join(root, 'sub', 'a.ts')]);
  });

  it('can be told to ignore .gitignore files', () => {
    makeTree(root, { '.gitignore': 'a.ts\n', 'a.ts': '' });
    assert.deepEqual(run(['.'], { gitignore: false }).files, ['a.ts']);
  });

  it('reports an explicitly named ignored file and skips it, as ESLint does', () => {
    makeTree(root, { '.gitignore': 'gen/\n', 'gen/a.ts': '', 'node_modules/m/i.js': '', 'ok.ts': '' });
    const { files, issues } = run(['gen/a.ts', 'node_modules/m/i.js', 'ok.ts']);
    assert.deepEqual(files, ['ok.ts']);
    assert.deepEqual(
      issues.map((i) => [i.path, i.kind]),
      [
        ['gen/a.ts', 'ignored'],
        ['node_modules/m/i.js', 'ignored'],
      ],
    );
    assert.match(issues[0].message, /^File ignored by .*\.gitignore$/);
    assert.match(issues[1].message, /inside 'node_modules'/);
  });

  it('reports missing paths and files no backend supports', () => {
    makeTree(root, { 'notes.md': '' });
    const { files, issues } = run(['nope.ts', 'notes.md']);
    assert.deepEqual(files, []);
    assert.deepEqual(
      issues.map((i) => [i.path, i.kind]),
      [
        ['nope.ts', 'not-found'],
        ['notes.md', 'unsupported'],
      ],
    );
  });

  it('applies --ignore-pattern globs relative to cwd: names at any depth, anchored paths, folders, negation', () => {
    makeTree(root, {
      'a.spec.ts': '',
      'src/b.spec.ts': '',
      'src/keep.spec.ts': '',
      'top.ts': '',
      'src/top.ts': '',
      'fixtures/x.ts': '',
      'src/c.ts': '',
    });
    const { files } = run(['.'], { ignorePatterns: ['*.spec.ts', '!keep.spec.ts', '/top.ts', 'fixtures/'] });
    assert.deepEqual([...files].sort(), ['src/c.ts', 'src/keep.spec.ts', 'src/top.ts']);
    const named = run(['fixtures/x.ts'], { ignorePatterns: ['fixtures/**'] });
    assert.deepEqual(named.files, []);
    assert.equal(named.issues[0].message, "File ignored by --ignore-pattern 'fixtures/**'");
  });

  it('applies configuration ignorePatterns relative to the config folder', () => {
    makeTree(root, { 'app/gen/a.ts': '', 'app/b.ts': '', 'app/c.generated.ts': '', 'other/gen/d.ts': '' });
    const app = path.join(root, 'app');
    const configIgnores = (dir: string) =>
      dir === app || dir.startsWith(app + path.sep)
        ? { baseDir: app, patterns: ['gen', '*.generated.ts'], source: 'app/async-lint.json' }
        : undefined;
    const { files } = run(['.'], { configIgnores });
    assert.deepEqual([...files].sort(), ['app/b.ts', 'other/gen/d.ts']);
    const named = run(['app/gen/a.ts'], { configIgnores });
    assert.equal(named.issues[0].message, "File ignored by ignorePatterns 'gen' in app/async-lint.json");
  });

  it('lets a configuration error thrown while resolving ignores propagate', () => {
    makeTree(root, { 'a.ts': '' });
    assert.throws(
      () =>
        run(['.'], {
          configIgnores: () => {
            throw new Error('broken config');
          },
        }),
      /broken config/,
    );
  });

  it('reports a symlink loop once and lists each file once', () => {
    makeTree(root, { 'src/a.ts': '', 'src/inner/b.ts': '' });
    fs.symlinkSync('..', path.join(root, 'src', 'inner', 'up'));
    fs.symlinkSync(path.join(root, 'src', 'a.ts'), path.join(root, 'alias.ts'));
    fs.symlinkSync('self', path.join(root, 'self'));
    const { files, issues } = run(['.']);
    assert.deepEqual([...files].sort(), ['alias.ts', 'src/inner/b.ts'].sort());
    assert.deepEqual(
      issues.map((i) => [i.path, i.kind]),
      [
        ['self', 'symlink-loop'],
        ['src/inner/up', 'symlink-loop'],
      ],
    );
  });

  it('walks a symlinked folder that is not a loop', () => {
    makeTree(root, { 'real/a.ts': '', 'proj/x.ts': '' });
    fs.symlinkSync(path.join(root, 'real'), path.join(root, 'proj', 'linked'));
    const result = walk(['proj'], { cwd: root, supports });
    assert.deepEqual(result.files, [path.join(root, 'proj', 'x.ts'), path.join(root, 'proj', 'linked', 'a.ts')]);
  });

  it('reports a dangling symlink to a source file, and stays quiet about others', () => {
    makeTree(root, { 'a.ts': '' });
    fs.symlinkSync(path.join(root, 'gone.ts'), path.join(root, 'dangling.ts'));
    fs.symlinkSync(path.join(root, 'gone.md'), path.join(root, 'dangling.md'));
    const { files, issues } = run(['.']);
    assert.deepEqual(files, ['a.ts']);
    assert.deepEqual(
      issues.map((i) => [i.path, i.kind]),
      [['dangling.ts', 'unreadable']],
    );
  });

  it('reports an unreadable folder and goes on with the rest', () => {
    makeTree(root, { 'locked/a.ts': '', 'open/b.ts': '' });
    const locked = path.join(root, 'locked');
    const failing: WalkFileSystem = {
      ...nodeWalkFileSystem,
      readdir(dir) {
        if (dir === locked) throw Object.assign(new Error('permission denied'), { code: 'EACCES' });
        return nodeWalkFileSystem.readdir(dir);
      },
    };
    const { files, issues } = run(['.'], { fs: failing });
    assert.deepEqual(files, ['open/b.ts']);
    assert.deepEqual(issues, [{ path: 'locked', kind: 'unreadable', message: 'Cannot read folder: EACCES' }]);
  });

  it('walks a tree thousands of levels deep without overflowing the stack', () => {
    // A synthetic file system: /deep/d/d/d/... 5000 levels (a recursive walk with a few frames per
    // level would overflow Node's default stack), one file at the bottom.
    const depth = 5000;
    const base = path.resolve('/deep');
    const levelOf = (p: string) => (p.length - base.length) / 2;
    const deepFs: WalkFileSystem = {
      readdir: (dir) => (levelOf(dir) < depth ? [{ name: 'd', type: 'dir' }] : [{ name: 'leaf.ts', type: 'file' }]),
      stat: (p) => (p.endsWith('.git') || p.endsWith('.gitignore') ? fail() : p.endsWith('.ts') ? 'file' : 'dir'),
      realpath: (p) => p,
      readFile: () => undefined,
    };
    function fail(): never {
      throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    }
    const result = walk(['.'], { cwd: base, supports, fs: deepFs });
    assert.equal(result.files.length, 1);
    assert.equal(levelOf(path.dirname(result.files[0])), depth);
  });
});

describe('ignore globs', () => {
  const ignored = (patterns: string[], rel: string, isDir = false) => {
    let hit = false;
    for (const r of compileGlobs(patterns)) if ((!r.dirOnly || isDir) && r.match(rel)) hit = !r.negate;
    return hit;
  };

  it('treats a slash-free pattern as a name at any depth and a slashed one as anchored', () => {
    assert.equal(ignored(['*.gen.ts'], 'a/b/x.gen.ts'), true);
    assert.equal(ignored(['src/*.ts'], 'src/x.ts'), true);
    assert.equal(ignored(['src/*.ts'], 'lib/src/x.ts'), false);
    assert.equal(ignored(['/x.ts'], 'x.ts'), true);
    assert.equal(ignored(['/x.ts'], 'a/x.ts'), false);
  });

  it('matches folder-only patterns against folders only, and dotfiles too', () => {
    assert.equal(ignored(['tmp/'], 'tmp', true), true);
    assert.equal(ignored(['tmp/'], 'tmp', false), false);
    assert.equal(ignored(['*.ts'], '.hidden.ts'), true);
  });

  it('does not treat glob text as a regular expression', () => {
    assert.equal(ignored(['a+b.ts'], 'a+b.ts'), true);
    assert.equal(ignored(['a+b.ts'], 'aab.ts'), false);
    assert.equal(ignored(['a.ts'], 'abts'), false);
  });
});
