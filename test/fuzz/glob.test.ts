// The glob matcher (server/src/engine/glob.ts) that ignorePatterns, --ignore-pattern, the editor's
// exclude setting and .gitignore files go through: the usual patterns mean what picomatch makes
// them mean, and patterns built to make a backtracking regular expression take minutes are matched
// at once (the mocha timeout is the only clock here).
import assert from 'node:assert/strict';
import fc from 'fast-check';
import picomatch from 'picomatch';
import { compileGlob, expandBraces, MAX_ALTERNATIVES } from '../../server/src/engine/glob';

describe('glob matching without regular expressions', () => {
  it('means what the usual patterns mean', () => {
    const table: [string, string, boolean][] = [
      ['*.ts', 'a.ts', true],
      ['*.ts', 'dir/a.ts', false],
      ['**/*.ts', 'dir/sub/a.ts', true],
      ['**/*.ts', 'a.ts', true],
      ['src/**', 'src/a/b.ts', true],
      ['src/**', 'src', true],
      ['src/**/gen/*.ts', 'src/gen/x.ts', true],
      ['src/**/gen/*.ts', 'src/a/b/gen/x.ts', true],
      ['src/**/gen/*.ts', 'src/a/b/gen/sub/x.ts', false],
      ['*.{ts,js}', 'x.js', true],
      ['*.{ts,js}', 'x.py', false],
      ['{src,lib}/**/*.spec.ts', 'lib/a/b.spec.ts', true],
      ['a?c', 'abc', true],
      ['a?c', 'a/c', false],
      ['[ab]x', 'bx', true],
      ['[!ab]x', 'cx', true],
      ['[!ab]x', 'ax', false],
      ['[a-c]*', 'beta', true],
      ['.*', '.env', true],
      ['*', '.env', true],
      ['**', 'a/.git/b', true],
      ['\\*.ts', '*.ts', true],
      ['\\*.ts', 'a.ts', false],
      ['{x}', '{x}', true],
      ['*', '..', false],
    ];
    for (const [pattern, path, want] of table) assert.equal(compileGlob(pattern)(path), want, `${pattern} on ${path}`);
  });

  it('agrees with picomatch on everyday patterns (but for `<wildcard>/**` on the folder itself)', () => {
    const segment = fc.constantFrom(
      'a',
      'src',
      'gen',
      '*',
      '*.ts',
      '*.spec.ts',
      '**',
      '{a,gen}',
      '?',
      'a?',
      '*.{ts,js}',
      '.git',
      '.*',
      'x*y',
    );
    const part = fc.constantFrom('a', 'src', 'gen', 'x.ts', 'x.spec.ts', 'y.js', '.git', '.env', 'xy', 'xzy', 'ab');
    const pattern = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));
    const file = fc.array(part, { minLength: 1, maxLength: 5 }).map((s) => s.join('/'));
    fc.assert(
      fc.property(pattern, file, (p, f) => {
        // picomatch lets `a/**` match `a` but not `*/**` match `a`; here both match the folder.
        const known = /(^|\/)[^/]*[*?{][^/]*\/\*\*$/.test(p.replace(/(\/\*\*)+$/, '/**'));
        fc.pre(!known);
        assert.equal(compileGlob(p)(f), picomatch(p, { dot: true })(f), `${p} on ${f}`);
      }),
      { numRuns: 3000, seed: 11 },
    );
  });

  it('matches patterns that make backtracking regular expressions explode, at once', () => {
    const long = 'a'.repeat(200);
    const deep = Array.from({ length: 60 }, () => 'a').join('/');
    const cases: [string, string][] = [
      ['*a'.repeat(30) + '*b', long + '.ts'],
      ['a/' + '**/'.repeat(30) + 'b/' + '**/'.repeat(30) + 'c', deep + '/y.ts'],
      ['**/'.repeat(50) + '*b*b*b*b*b*b*b*b*x', deep],
      ['?'.repeat(100) + '*' + '?'.repeat(100) + 'b', long],
    ];
    for (const [pattern, path] of cases) assert.equal(compileGlob(pattern)(path), false, pattern);
  });

  it('expands braces in order, nested, and at most MAX_ALTERNATIVES of them', () => {
    assert.deepEqual(expandBraces('a{b,c{d,e}}f'), ['abf', 'acdf', 'acef']);
    assert.deepEqual(expandBraces('x'), ['x']);
    assert.equal(expandBraces('{a,b}'.repeat(20)).length, MAX_ALTERNATIVES);
  });
});
