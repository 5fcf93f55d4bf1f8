// Mutations of seed files, as data: a mutation names what to do and where (positions are taken
// modulo the text's size), so fast-check can generate and shrink them, and the long-run fuzzer
// can draw them from the same arbitraries. Nothing here knows about the linter.
import fc from 'fast-check';

export type Lang = 'typescript' | 'python';

/** Ways to nest an expression or a block `depth` levels deep. */
export const NEST_SHAPES = {
  typescript: [
    'parens',
    'arrays',
    'objects',
    'blocks',
    'arrows',
    'calls',
    'awaits',
    'async-functions',
    'if-blocks',
    'for-await-loops',
    'ternaries',
    'member-chain',
    'then-chain',
    'templates',
    'generics',
    'jsx',
    'unary',
    'binary',
  ],
  python: [
    'parens',
    'lists',
    'dicts',
    'async-defs',
    'for-loops',
    'if-blocks',
    'lambdas',
    'awaits',
    'call-chain',
    'attribute-chain',
    'binary',
    'not',
    'comprehensions',
    'with-blocks',
  ],
} as const satisfies Record<Lang, readonly string[]>;

export type NestShape = (typeof NEST_SHAPES)[Lang][number];

export type Mutation =
  | { kind: 'delete-token'; at: number }
  | { kind: 'duplicate-token'; at: number }
  | { kind: 'swap-tokens'; a: number; b: number }
  | { kind: 'replace-token'; at: number; text: string }
  | { kind: 'delete-line'; at: number }
  | { kind: 'duplicate-line'; at: number }
  | { kind: 'swap-lines'; a: number; b: number }
  | { kind: 'reindent-line'; at: number; indent: string }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'splice-lines'; at: number; donor: number; from: number; count: number }
  | { kind: 'nest'; at: number; shape: NestShape; depth: number }
  | { kind: 'long-line'; at: number; unit: string; length: number };

// ---- tokens and lines ------------------------------------------------------------------------

/** Rough tokens that suit both languages: words, numbers, strings, comments, operators, space. */
const TOKEN =
  /\s+|[A-Za-z_$\u00c0-\uffff][\w$\u00c0-\uffff]*|\d[\d_]*(?:\.\d+)?|"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|`(?:[^`\\]|\\.)*`?|\/\/[^\n]*|#[^\n]*|\/\*[\s\S]*?(?:\*\/|$)|=>|===|!==|\*\*|\.\.\.|\?\?|\?\.|[\s\S]/g;

export function tokenize(text: string): string[] {
  try {
    return text.match(TOKEN) ?? [];
  } catch (e) {
    // V8's regular expressions run out of stack on some huge literals (a quote or backtick
    // opened 100,000 characters before its end): then coarser tokens, words and spaces.
    if (e instanceof RangeError) return text.split(/(\s+)/).filter((t) => t !== '');
    throw e;
  }
}

/** Indices (into `tokens`) of the tokens that are not whitespace. */
function solidIndices(tokens: readonly string[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < tokens.length; i++) if (!/^\s+$/.test(tokens[i])) out.push(i);
  return out;
}

/** Lines with their terminators, so joining them gives the text back. */
export function splitLines(text: string): string[] {
  return text.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}

const pick = (n: number, size: number) => (size <= 0 ? 0 : n % size);

// ---- nesting -----------------------------------------------------------------------------------

/** `depth` levels of one shape, as a piece of source to insert (blocks at a line start). */
export function nest(lang: Lang, shape: NestShape, depth: number): string {
  const d = Math.max(1, depth);
  const rep = (open: string, inner: string, close: string) => open.repeat(d) + inner + close.repeat(d);
  if (lang === 'typescript') {
    switch (shape) {
      case 'parens':
        return `const n = ${rep('(', 'load()', ')')};\n`;
      case 'arrays':
        return `const n = ${rep('[', 'load()', ']')};\n`;
      case 'objects':
        return `const n = ${rep('{ a: ', 'load()', ' }')};\n`;
      case 'blocks':
        return `async function nested() ${rep('{ ', 'await load(); fs.readFileSync("x");', ' }')}\n`;
      case 'arrows':
        return `const n = ${'async () => '.repeat(d)}load();\n`;
      case 'calls':
        return `${rep('f(', 'load()', ')')};\n`;
      case 'awaits':
        return `async function nested() { ${rep('await (', 'load()', ')')}; }\n`;
      case 'async-functions':
        return rep('async function g() { ', 'load(); ', '}') + '\n';
      case 'if-blocks':
        return `async function nested() { ${rep('if (x) { ', 'load();', ' }')} }\n`;
      case 'for-await-loops':
        return `async function nested(xs: any[]) { ${rep('for (const x of xs) { ', 'out.push(await load(x));', ' }')} }\n`;
      case 'ternaries':
        return `const n = ${'x ? load() : '.repeat(d)}null;\n`;
      case 'member-chain':
        return `a${'.b'.repeat(d)};\n`;
      case 'then-chain':
        return `load()${'.then((v) => v)'.repeat(d)};\n`;
      case 'templates':
        return `const n = ${rep('`${', 'load()', '}`')};\n`;
      case 'generics':
        return `let n: ${rep('Promise<', 'void', '>')};\n`;
      case 'jsx':
        return `const n = ${rep('<div>', '{load()}', '</div>')};\n`;
      case 'unary':
        return `const n = ${'!'.repeat(d)}load();\n`;
      case 'binary':
        return `const n = load()${' + load()'.repeat(d)};\n`;
    }
  } else {
    const indent = (i: number) => '    '.repeat(i);
    const blocks = (head: string, body: string) => {
      let out = '';
      for (let i = 0; i < d; i++) out += `${indent(i)}${head}\n`;
      return out + `${indent(d)}${body}\n`;
    };
    switch (shape) {
      case 'parens':
        return `n = ${rep('(', 'load()', ')')}\n`;
      case 'lists':
        return `n = ${rep('[', 'load()', ']')}\n`;
      case 'dicts':
        return `n = ${rep('{"a": ', 'load()', '}')}\n`;
      case 'async-defs':
        return blocks('async def nested():', 'time.sleep(1)');
      case 'for-loops':
        return 'async def nested(xs):\n' + blocks('    for x in xs:', '    out.append(await load(x))');
      case 'if-blocks':
        return 'async def nested(x):\n' + blocks('    if x:', '    load()');
      case 'lambdas':
        return `n = ${'lambda: '.repeat(d)}load()\n`;
      case 'awaits':
        return `async def nested():\n    ${rep('await (', 'load()', ')')}\n`;
      case 'call-chain':
        return `load()${'.then(f)'.repeat(d)}\n`;
      case 'attribute-chain':
        return `a${'.b'.repeat(d)}\n`;
      case 'binary':
        return `n = load()${' + load()'.repeat(d)}\n`;
      case 'not':
        return `n = ${'not '.repeat(d)}load()\n`;
      case 'comprehensions':
        return `n = ${rep('[', 'await load(x)', ' for x in xs]')}\n`;
      case 'with-blocks':
        return 'async def nested():\n' + blocks('    async with lock:', '    time.sleep(1)');
    }
  }
  return '';
}

// ---- applying ----------------------------------------------------------------------------------

/** Applies one mutation. `donors` are other seed texts (for splicing lines across files). */
export function applyMutation(lang: Lang, text: string, m: Mutation, donors: readonly string[]): string {
  switch (m.kind) {
    case 'delete-token':
    case 'duplicate-token':
    case 'replace-token': {
      const tokens = tokenize(text);
      const solid = solidIndices(tokens);
      if (solid.length === 0) return text;
      const i = solid[pick(m.at, solid.length)];
      if (m.kind === 'delete-token') tokens.splice(i, 1);
      else if (m.kind === 'duplicate-token') tokens.splice(i, 0, tokens[i]);
      else tokens[i] = m.text;
      return tokens.join('');
    }
    case 'swap-tokens': {
      const tokens = tokenize(text);
      const solid = solidIndices(tokens);
      if (solid.length < 2) return text;
      const a = solid[pick(m.a, solid.length)];
      const b = solid[pick(m.b, solid.length)];
      [tokens[a], tokens[b]] = [tokens[b], tokens[a]];
      return tokens.join('');
    }
    case 'delete-line':
    case 'duplicate-line':
    case 'reindent-line': {
      const lines = splitLines(text);
      if (lines.length === 0) return text;
      const i = pick(m.at, lines.length);
      if (m.kind === 'delete-line') lines.splice(i, 1);
      else if (m.kind === 'duplicate-line') lines.splice(i, 0, lines[i]);
      else lines[i] = m.indent + lines[i].replace(/^[ \t]*/, '');
      return lines.join('');
    }
    case 'swap-lines': {
      const lines = splitLines(text);
      if (lines.length < 2) return text;
      const a = pick(m.a, lines.length);
      const b = pick(m.b, lines.length);
      [lines[a], lines[b]] = [lines[b], lines[a]];
      return lines.join('');
    }
    case 'truncate':
      return text.slice(0, pick(m.at, text.length + 1));
    case 'insert': {
      const at = pick(m.at, text.length + 1);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case 'splice-lines': {
      if (donors.length === 0) return text;
      const donorLines = splitLines(donors[pick(m.donor, donors.length)]);
      const from = pick(m.from, donorLines.length);
      const piece = donorLines.slice(from, from + m.count);
      const lines = splitLines(text);
      lines.splice(pick(m.at, lines.length + 1), 0, ...piece);
      return lines.join('');
    }
    case 'nest':
    case 'long-line': {
      const piece = m.kind === 'nest' ? nest(lang, m.shape, m.depth) : longLine(lang, m.unit, m.length);
      const lines = splitLines(text);
      const i = pick(m.at, lines.length + 1);
      // A line on its own, after a line that ends with a newline.
      if (i > 0 && !/[\r\n]$/.test(lines[i - 1])) lines[i - 1] += '\n';
      lines.splice(i, 0, piece);
      return lines.join('');
    }
  }
}

/** One line of about `length` characters built from `unit`, as a statement where possible. */
export function longLine(lang: Lang, unit: string, length: number): string {
  const body = unit.repeat(Math.max(1, Math.ceil(length / Math.max(1, unit.length))));
  return lang === 'typescript' ? `const long = ${body};\n` : `long = ${body}\n`;
}

export function mutate(lang: Lang, seed: string, mutations: readonly Mutation[], donors: readonly string[]): string {
  let text = seed;
  for (const m of mutations) text = applyMutation(lang, text, m, donors);
  return text;
}

// ---- arbitraries -------------------------------------------------------------------------------

/** Pieces that matter to a parser: brackets and quotes left open, comment and string openers. */
const UNBALANCING = [
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '"',
  "'",
  '`',
  '"""',
  "'''",
  '/*',
  '*/',
  '${',
  '<',
  '>',
  '</',
  '#',
  '\\',
  ':',
  ';',
  ',',
  '=>',
];
/** Odd characters: NUL, BOM, line and paragraph separators, lone surrogates, CR, tabs, form feeds. */
const ODD = [
  '\ufeff',
  '\u2028',
  '\u2029',
  '\ud800',
  '\udfff',
  '\r',
  '\r\n',
  '\t',
  '\f',
  '\v',
  '\u00a0',
  '\u200b',
  '💥',
  'é',
  '\u0301',
  '\x1b',
  '\x7f',
];
const KEYWORDS = {
  typescript: [
    'await ',
    'async ',
    'yield ',
    'function ',
    'return ',
    'void ',
    'new ',
    'class ',
    'for ',
    'for await ',
    'while ',
    'of ',
    'in ',
    'const ',
    'let ',
    'using ',
    'await using ',
    'import ',
    'export ',
    'static ',
    'get ',
    '=> ',
    'if (x) ',
    'else ',
    'try {',
    'catch {',
    '} finally {',
    'Promise.all([load()])',
    'fs.readFileSync("f")',
    'execSync("ls")',
    'load();',
    'await load();',
    'const a = await load();',
    'xs.forEach(async (x) => { await load(x); });',
    '.then(f)',
    '.catch(h)',
    '?.',
    '!',
    'as any',
    'satisfies T',
    '<T>',
    'Atomics.wait(a, 0, 0)',
    'while (Date.now() < end) {}',
  ],
  python: [
    'await ',
    'async ',
    'def ',
    'async def ',
    'lambda: ',
    'return ',
    'yield ',
    'for ',
    'async for ',
    'while ',
    'with ',
    'async with ',
    'in ',
    'not ',
    'class ',
    'import asyncio\n',
    'from time import sleep\n',
    'global x\n',
    'nonlocal x\n',
    'if x:\n',
    'else:\n',
    'try:\n',
    'except:\n',
    'pass\n',
    '...\n',
    'time.sleep(1)',
    'asyncio.sleep(1)',
    'asyncio.create_task(load())',
    'asyncio.run(main())',
    'requests.get(u)',
    'open("f")',
    'await load()',
    'a = await load()\n',
    'asyncio.gather(',
    'loop.call_soon(load)',
    'aiohttp.ClientSession()',
    '@decorator\n',
    ':=',
    '*args',
    '**kw',
    'match x:\n',
    'case _:\n',
  ],
} as const;

const LONG_UNITS = {
  typescript: ['a', 'a + ', '"x" + ', 'f(', '(', '[', 'load(), ', '/*', '\\u0041', 'await load() + ', ' '],
  python: ['a', 'a + ', '"x" + ', 'f(', '(', '[', 'load(), ', '#', ' ', 'await load() + ', '\\'],
} as const;

const position = fc.nat({ max: 1_000_000 });

/** Depths: shallow, moderate (within what TypeScript's recursive parser takes), and 10,000 deep. */
const depth = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 40 }) },
  { weight: 2, arbitrary: fc.integer({ min: 40, max: 600 }) },
  { weight: 1, arbitrary: fc.integer({ min: 600, max: 10_000 }) },
);

// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what is replaced
const noNul = (s: string) => s.replace(/\u0000/g, '\u0001');

function insertText(lang: Lang): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...UNBALANCING) },
    { weight: 6, arbitrary: fc.constantFrom(...ODD) },
    { weight: 6, arbitrary: fc.constantFrom(...KEYWORDS[lang]) },
    // NULs make a file binary (skipped): they come on their own, rarely, not in every random string.
    { weight: 6, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }).map(noNul) },
    {
      weight: 6,
      arbitrary: fc.string({
        unit: fc.integer({ min: 1, max: 0xffff }).map((c) => String.fromCharCode(c)),
        maxLength: 8,
      }),
    },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 64 }).map((n) => '\u0000'.repeat(n)) },
  );
}

export interface MutationOptions {
  /** Longest line a `long-line` mutation makes (characters). */
  maxLongLine?: number;
  /** Most mutations stacked on one seed. */
  maxMutations?: number;
}

export function mutationArb(lang: Lang, donorCount: number, options: MutationOptions = {}): fc.Arbitrary<Mutation> {
  const maxLong = options.maxLongLine ?? 100_000;
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete-token' as const), at: position }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('duplicate-token' as const), at: position }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('swap-tokens' as const), a: position, b: position }) },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant('replace-token' as const), at: position, text: insertText(lang) }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete-line' as const), at: position }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('duplicate-line' as const), at: position }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('swap-lines' as const), a: position, b: position }) },
    {
      weight: lang === 'python' ? 2 : 1,
      arbitrary: fc.record({
        kind: fc.constant('reindent-line' as const),
        at: position,
        indent: fc.constantFrom('', ' ', '  ', '    ', '\t', '        ', ' \t'),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: position }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: position, text: insertText(lang) }) },
    {
      weight: donorCount > 0 ? 2 : 0,
      arbitrary: fc.record({
        kind: fc.constant('splice-lines' as const),
        at: position,
        donor: position,
        from: position,
        count: fc.integer({ min: 1, max: 12 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('nest' as const),
        at: position,
        shape: fc.constantFrom<NestShape>(...NEST_SHAPES[lang]),
        depth,
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('long-line' as const),
        at: position,
        unit: fc.constantFrom<string>(...LONG_UNITS[lang]),
        length: fc.integer({ min: 1000, max: maxLong }),
      }),
    },
  );
}

export interface FuzzInput {
  /** Index of the seed in the corpus for this language. */
  seed: number;
  mutations: Mutation[];
}

export function inputArb(lang: Lang, seedCount: number, options: MutationOptions = {}): fc.Arbitrary<FuzzInput> {
  return fc.record({
    seed: fc.nat({ max: Math.max(0, seedCount - 1) }),
    mutations: fc.array(mutationArb(lang, seedCount, options), { minLength: 1, maxLength: options.maxMutations ?? 6 }),
  });
}
