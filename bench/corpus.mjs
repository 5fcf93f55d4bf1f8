// The benchmark corpus: a deterministic, seeded generator of
//   ts/  a TypeScript project (tsconfig, ~1,000 files in ~110 domain folders that import each other,
//        interfaces, classes, services, jobs and handlers full of async code, a few mistakes of each
//        rule among much more correct code) plus src/app/orchestrator.ts, a ~3,000-line file for the
//        language server's edit-latency measurement;
//   py/  a Python package (~1,000 modules, relative and absolute cross-module imports, asyncio,
//        aiohttp-style clients, tasks, gather) with the same mix.
// The same seed gives byte-identical files, so figures from different runs compare like with like.
// usage: node bench/corpus.mjs [--out DIR (default: $TMPDIR/async-lint-bench-corpus)] [--seed 7] [--domains 110]
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** Bump when the generated text changes, so a stale corpus on disk is regenerated. */
export const CORPUS_VERSION = 9;
export const DEFAULT_SEED = 7;
export const DEFAULT_DOMAINS = 110;
/**
 * Where the corpus goes: outside the repository, because the CLI (like git and ESLint) skips
 * folders a .gitignore names, and a corpus inside the repository would have to be git-ignored.
 */
export const DEFAULT_CORPUS_DIR = path.join(os.tmpdir(), 'async-lint-bench-corpus');
/** Marks a line in the large file after which the LSP benchmark inserts a statement. */
export const EDIT_MARK = '// bench:edit-point';

// ---- deterministic randomness ------------------------------------------------------------

/** mulberry32: a small seeded generator (also draws npm run real-world's samples). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  constructor(seed) {
    this.next = mulberry32(seed);
  }
  int(lo, hi) {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p) {
    return this.next() < p;
  }
  pick(xs) {
    return xs[Math.floor(this.next() * xs.length)];
  }
  sample(xs, n) {
    const copy = [...xs];
    const out = [];
    while (out.length < n && copy.length > 0) out.push(copy.splice(Math.floor(this.next() * copy.length), 1)[0]);
    return out;
  }
}

// ---- names -------------------------------------------------------------------------------

const NOUNS = `account address alert audit backup badge basket billing booking branch budget campaign cart
catalog category channel charge checkout claim client comment contract coupon credit customer dashboard
delivery device discount document draft email employee shipping feed attachment flag folder form gateway grant
group incident inventory invoice issue journal label lead ledger license listing location member message
metric note notification offer order organization parcel article partner payment payout permission photo
plan policy post price product profile project quote rate receipt entry refund region release report
reservation review role route schedule search segment session setting shipment shop signal sku snapshot
source stock subscription supplier survey tag task team template tenant ticket token topic transfer trip
upload user vendor video voucher wallet warehouse webhook widget workflow`
  .split(/\s+/)
  .filter(Boolean);

const FIELD_POOL = [
  ['name', 'string', "'untitled'", 'str', "'untitled'"],
  ['title', 'string', "''", 'str', "''"],
  ['status', 'string', "'active'", 'str', "'active'"],
  ['ownerId', 'string', "''", 'str', "''"],
  ['amount', 'number', '0', 'float', '0.0'],
  ['quantity', 'number', '1', 'int', '1'],
  ['priority', 'number', '0', 'int', '0'],
  ['enabled', 'boolean', 'true', 'bool', 'True'],
  ['archived', 'boolean', 'false', 'bool', 'False'],
  ['tags', 'string[]', '[]', 'list[str]', 'field(default_factory=list)'],
  ['notes', 'string', "''", 'str', "''"],
  ['currency', 'string', "'EUR'", 'str', "'EUR'"],
  ['score', 'number', '0', 'float', '0.0'],
  ['region', 'string', "'eu'", 'str', "'eu'"],
];

const pascal = (s) => s.charAt(0).toUpperCase() + s.slice(1);
const snake = (s) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The domain list and who depends on whom: a domain imports services of up to three earlier ones. */
function planDomains(rng, count) {
  const names = NOUNS.slice(0, Math.min(count, NOUNS.length));
  while (names.length < count)
    names.push(`${NOUNS[names.length % NOUNS.length]}${Math.floor(names.length / NOUNS.length) + 1}`);
  return names.map((name, i) => {
    const deps = i === 0 ? [] : rng.sample(names.slice(Math.max(0, i - 25), i), rng.int(1, Math.min(3, i)));
    const fields = rng.sample(FIELD_POOL, rng.int(4, 7));
    return { name, Name: pascal(name), index: i, deps, fields };
  });
}

// ---- TypeScript project ------------------------------------------------------------------

const TS_CORE = {
  'core/types.ts': () => `// Shared shapes.
export type Id = string;

export interface Entity {
  id: Id;
  createdAt: Date;
  updatedAt: Date;
}

export interface Page<T> {
  items: T[];
  next?: string;
  total: number;
}

export interface Query {
  limit?: number;
  cursor?: string;
  where?: Record<string, unknown>;
}

export type Result<T, E = Error> = { ok: true; value: T } | { ok: false; error: E };

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
`,
  'core/errors.ts': () => `// Error types with a stable code, so handlers can map them to statuses.
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 500,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, id: string) {
    super('not_found', \`\${what} \${id} not found\`, 404);
  }
}

export class ValidationError extends AppError {
  constructor(readonly problems: string[]) {
    super('invalid', problems.join('; '), 400);
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
`,
  'core/time.ts': () => `// Timers as promises.
import { setTimeout as delay } from 'node:timers/promises';

export function sleep(ms: number): Promise<void> {
  return delay(ms).then(() => undefined);
}

export async function withTimeout<T>(work: Promise<T>, ms: number, what = 'operation'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(\`\${what} timed out after \${ms} ms\`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

export function elapsed(start: number): number {
  return Date.now() - start;
}
`,
  'core/logger.ts': () => `// A small structured logger.
export type Level = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: Level, message: string, data?: Record<string, unknown>): void;
  child(scope: string): Logger;
}

export class ConsoleLogger implements Logger {
  constructor(private readonly scope = 'app') {}

  log(level: Level, message: string, data: Record<string, unknown> = {}): void {
    const line = JSON.stringify({ level, scope: this.scope, message, ...data });
    if (level === 'error') console.error(line);
    else console.log(line);
  }

  child(scope: string): Logger {
    return new ConsoleLogger(\`\${this.scope}.\${scope}\`);
  }
}

export const rootLogger: Logger = new ConsoleLogger();
`,
  'core/db.ts': () => `// The database client every repository uses.
import type { Query } from './types';
import { sleep } from './time';

export interface Row {
  [column: string]: unknown;
}

export class Db {
  private queries = 0;

  constructor(readonly url: string) {}

  async query<T extends Row = Row>(sql: string, params: unknown[] = []): Promise<T[]> {
    this.queries++;
    await sleep(params.length);
    return [] as T[];
  }

  async one<T extends Row = Row>(sql: string, params: unknown[] = []): Promise<T | undefined> {
    const rows = await this.query<T>(sql, params);
    return rows[0];
  }

  async execute(sql: string, params: unknown[] = []): Promise<number> {
    await this.query(sql, params);
    return 1;
  }

  async page<T extends Row = Row>(table: string, q: Query): Promise<{ rows: T[]; next?: string }> {
    const rows = await this.query<T>(\`select * from \${table} limit $1\`, [q.limit ?? 50, q.cursor]);
    return { rows, next: rows.length > 0 ? String(rows.length) : undefined };
  }

  async transaction<T>(work: (tx: Db) => Promise<T>): Promise<T> {
    await this.execute('begin');
    try {
      const out = await work(this);
      await this.execute('commit');
      return out;
    } catch (e) {
      await this.execute('rollback');
      throw e;
    }
  }

  get count(): number {
    return this.queries;
  }
}
`,
  'core/http.ts': () => `// An HTTP client for the services we call, and the request/response types of our handlers.
export interface HttpResponse<T> {
  status: number;
  body: T;
  headers: Record<string, string>;
}

export interface Request {
  params: Record<string, string>;
  query: Record<string, string | undefined>;
  body: unknown;
  user?: { id: string; roles: string[] };
}

export interface Response {
  status: number;
  body: unknown;
}

export class HttpClient {
  constructor(
    private readonly base: string,
    private readonly token?: string,
  ) {}

  async get<T>(path: string): Promise<HttpResponse<T>> {
    const res = await fetch(this.base + path, { headers: this.headers() });
    return { status: res.status, body: (await res.json()) as T, headers: {} };
  }

  async post<T>(path: string, body: unknown): Promise<HttpResponse<T>> {
    const res = await fetch(this.base + path, { method: 'POST', body: JSON.stringify(body), headers: this.headers() });
    return { status: res.status, body: (await res.json()) as T, headers: {} };
  }

  private headers(): Record<string, string> {
    return this.token ? { authorization: \`Bearer \${this.token}\` } : {};
  }
}

export function ok(body: unknown): Response {
  return { status: 200, body };
}

export function created(body: unknown): Response {
  return { status: 201, body };
}
`,
  'core/events.ts': () => `// An in-process event bus; handlers run asynchronously.
export type Handler<T = unknown> = (payload: T) => Promise<void> | void;

export class EventBus {
  private readonly handlers = new Map<string, Handler[]>();

  subscribe<T>(topic: string, handler: Handler<T>): () => void {
    const list = this.handlers.get(topic) ?? [];
    list.push(handler as Handler);
    this.handlers.set(topic, list);
    return () => this.handlers.set(topic, (this.handlers.get(topic) ?? []).filter((h) => h !== handler));
  }

  async publish<T>(topic: string, payload: T): Promise<void> {
    const list = this.handlers.get(topic) ?? [];
    await Promise.all(list.map(async (h) => {
      await h(payload);
    }));
  }
}

export const bus = new EventBus();
`,
  'core/cache.ts': () => `// A TTL cache with an async interface (the production one is remote).
export class Cache<T> {
  private readonly entries = new Map<string, { value: T; expires: number }>();

  constructor(private readonly ttlMs = 60_000) {}

  get(key: string): Promise<T | undefined> {
    const e = this.entries.get(key);
    return Promise.resolve(!e || e.expires < Date.now() ? undefined : e.value);
  }

  set(key: string, value: T): Promise<void> {
    this.entries.set(key, { value, expires: Date.now() + this.ttlMs });
    return Promise.resolve();
  }

  delete(key: string): Promise<boolean> {
    return Promise.resolve(this.entries.delete(key));
  }

  async getOrLoad(key: string, load: () => Promise<T>): Promise<T> {
    const hit = await this.get(key);
    if (hit !== undefined) return hit;
    const value = await load();
    await this.set(key, value);
    return value;
  }
}
`,
  'core/retry.ts': () => `// Retrying with backoff: the awaits in these loops depend on each other on purpose.
import { sleep } from './time';

export interface RetryOptions {
  attempts: number;
  baseMs: number;
}

export async function retry<T>(work: () => Promise<T>, options: RetryOptions = { attempts: 3, baseMs: 50 }): Promise<T> {
  let lastError: unknown;
  for (let attempt = 0; attempt < options.attempts; attempt++) {
    try {
      return await work();
    } catch (e) {
      lastError = e;
      await sleep(options.baseMs * 2 ** attempt);
    }
  }
  throw lastError;
}

export async function pollUntil(check: () => Promise<boolean>, intervalMs: number, limitMs: number): Promise<boolean> {
  const start = Date.now();
  while (Date.now() - start < limitMs) {
    if (await check()) return true;
    await sleep(intervalMs);
  }
  return false;
}
`,
  'core/config.ts': () => `// Configuration, read once at start-up (synchronously, at module level, which is fine).
import fs from 'node:fs';
import path from 'node:path';

export interface AppConfig {
  databaseUrl: string;
  apiBase: string;
  concurrency: number;
  templatesDir: string;
}

const file = path.join(process.cwd(), 'config.json');
const raw = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '{}';

export const config: AppConfig = {
  databaseUrl: 'postgres://localhost/app',
  apiBase: 'https://api.example.com',
  concurrency: 8,
  templatesDir: path.join(process.cwd(), 'templates'),
  ...(JSON.parse(raw) as Partial<AppConfig>),
};

export async function reloadConfig(): Promise<AppConfig> {
  const text = await fs.promises.readFile(file, 'utf8');
  return { ...config, ...(JSON.parse(text) as Partial<AppConfig>) };
}
`,
};

function tsModel(d) {
  const f = d.fields;
  return `// ${d.Name}: the stored shape and its input.
import type { Entity, Id } from '../../core/types';

export interface ${d.Name} extends Entity {
${f.map(([n, t]) => `  ${n}: ${t};`).join('\n')}
}

export type ${d.Name}Input = Partial<Omit<${d.Name}, 'id' | 'createdAt' | 'updatedAt'>>;

export const ${d.name.toUpperCase()}_TABLE = '${snake(d.name)}s';

export function new${d.Name}(id: Id, input: ${d.Name}Input): ${d.Name} {
  const now = new Date();
  return {
    id,
    createdAt: now,
    updatedAt: now,
${f.map(([n, , def]) => `    ${n}: input.${n} ?? ${def},`).join('\n')}
  };
}

export function describe${d.Name}(x: ${d.Name}): string {
  return \`${d.name} \${x.id} (\${x.${f[0][0]}})\`;
}
`;
}

function tsRepository(d, rng) {
  const blockingExport = rng.chance(0.25);
  return `// ${d.Name}Repository: persistence for ${d.name}s.
import fs from 'node:fs';
import type { Db } from '../../core/db';
import { NotFoundError } from '../../core/errors';
import type { Id, Page, Query } from '../../core/types';
import { type ${d.Name}, type ${d.Name}Input, ${d.name.toUpperCase()}_TABLE, new${d.Name} } from './model';

export class ${d.Name}Repository {
  constructor(private readonly db: Db) {}

  async findById(id: Id): Promise<${d.Name} | undefined> {
    return (await this.db.one(\`select * from \${${d.name.toUpperCase()}_TABLE} where id = $1\`, [id])) as ${d.Name} | undefined;
  }

  async get(id: Id): Promise<${d.Name}> {
    const found = await this.findById(id);
    if (!found) throw new NotFoundError('${d.name}', id);
    return found;
  }

  async list(q: Query = {}): Promise<Page<${d.Name}>> {
    const { rows, next } = await this.db.page(${d.name.toUpperCase()}_TABLE, q);
    return { items: rows as unknown as ${d.Name}[], next, total: rows.length };
  }

  async insert(id: Id, input: ${d.Name}Input): Promise<${d.Name}> {
    const row = new${d.Name}(id, input);
    await this.db.execute(\`insert into \${${d.name.toUpperCase()}_TABLE} values ($1)\`, [row]);
    return row;
  }

  async update(id: Id, patch: ${d.Name}Input): Promise<${d.Name}> {
    const current = await this.get(id);
    const next = { ...current, ...patch, updatedAt: new Date() };
    await this.db.execute(\`update \${${d.name.toUpperCase()}_TABLE} set data = $2 where id = $1\`, [id, next]);
    return next;
  }

  async remove(id: Id): Promise<boolean> {
    return (await this.db.execute(\`delete from \${${d.name.toUpperCase()}_TABLE} where id = $1\`, [id])) > 0;
  }

  async exportAll(file: string): Promise<number> {
    const page = await this.list({ limit: 10_000 });
${
  blockingExport
    ? `    fs.writeFileSync(file, JSON.stringify(page.items)); // expect: blocking-call`
    : `    await fs.promises.writeFile(file, JSON.stringify(page.items));`
}
    return page.items.length;
  }
}
`;
}

function tsService(d, rng) {
  const deps = d.deps;
  const imports = deps.map((x) => `import type { ${pascal(x)}Service } from '../${x}/service';`).join('\n');
  const ctorDeps = deps.map((x) => `    private readonly ${x}s: ${pascal(x)}Service,`).join('\n');
  const first = deps[0];
  const sequential = rng.chance(0.35);
  const dropPublish = rng.chance(0.2);
  const thenNoCatch = rng.chance(0.1);
  const f0 = d.fields[0][0];
  return `// ${d.Name}Service: the business rules for ${d.name}s.
import { randomUUID } from 'node:crypto';
import type { EventBus } from '../../core/events';
import { ValidationError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import type { Id, Page, Query } from '../../core/types';
import type { ${d.Name}, ${d.Name}Input } from './model';
import type { ${d.Name}Repository } from './repository';
${imports}

export class ${d.Name}Service {
  constructor(
    private readonly repo: ${d.Name}Repository,
    private readonly events: EventBus,
    private readonly log: Logger,
${ctorDeps}
  ) {}

  get(id: Id): Promise<${d.Name}> {
    return this.repo.get(id);
  }

  async list(q: Query = {}): Promise<Page<${d.Name}>> {
    const page = await this.repo.list(q);
    this.log.log('debug', 'listed ${d.name}s', { count: page.items.length });
    return page;
  }

  validate(input: ${d.Name}Input): string[] {
    const problems: string[] = [];
${
  d.fields
    .filter(([, t]) => t === 'string')
    .slice(0, 2)
    .map(([n]) => `    if (input.${n} !== undefined && input.${n}.length > 200) problems.push('${n} is too long');`)
    .join('\n') || "    if (Object.keys(input).length === 0) problems.push('empty input');"
}
    return problems;
  }

  async create(input: ${d.Name}Input): Promise<${d.Name}> {
    const problems = this.validate(input);
    if (problems.length > 0) throw new ValidationError(problems);
    const row = await this.repo.insert(randomUUID(), input);
${dropPublish ? `    this.events.publish('${d.name}.created', row); // expect: unawaited` : `    await this.events.publish('${d.name}.created', row);`}
    return row;
  }

  async update(id: Id, patch: ${d.Name}Input): Promise<${d.Name}> {
    const row = await this.repo.update(id, patch);
${thenNoCatch ? `    this.events.publish('${d.name}.updated', row).then(() => this.log.log('debug', 'published')); // expect: unawaited` : `    await this.events.publish('${d.name}.updated', row);`}
    return row;
  }

  async remove(id: Id): Promise<void> {
    const existed = await this.repo.remove(id);
    if (existed) await this.events.publish('${d.name}.removed', { id });
  }
${
  first
    ? `
  async overview(id: Id, ${first}Id: Id): Promise<{ ${d.name}: ${d.Name}; related: unknown }> {
${
  sequential
    ? `    const ${d.name} = await this.repo.get(id); // expect: sequential-await
    const related = await this.${first}s.get(${first}Id);`
    : `    const [${d.name}, related] = await Promise.all([this.repo.get(id), this.${first}s.get(${first}Id)]);`
}
    return { ${d.name}, related };
  }

  async linked(id: Id): Promise<unknown> {
    const row = await this.repo.get(id);
    const other = await this.${first}s.get(String(row.${f0}));
    return { row, other };
  }
`
    : ''
}
  async touchAll(ids: Id[]): Promise<number> {
    const rows = await Promise.all(ids.map((id) => this.repo.get(id)));
    await Promise.all(rows.map((r) => this.repo.update(r.id, {})));
    return rows.length;
  }
}
`;
}

function tsHandlers(d, rng) {
  const blocking = rng.chance(0.3);
  const asyncSync = rng.chance(0.25);
  return `// HTTP handlers for ${d.name}s.
import fs from 'node:fs';
import path from 'node:path';
import { config } from '../../core/config';
import { isAppError } from '../../core/errors';
import { created, ok, type Request, type Response } from '../../core/http';
import type { ${d.Name}Service } from './service';

export function ${d.name}Routes(service: ${d.Name}Service) {
  return {
    async get(req: Request): Promise<Response> {
      try {
        return ok(await service.get(req.params.id));
      } catch (e) {
        if (isAppError(e)) return { status: e.status, body: { error: e.code } };
        throw e;
      }
    },

    async list(req: Request): Promise<Response> {
      const limit = Number(req.query.limit ?? 50);
      return ok(await service.list({ limit, cursor: req.query.cursor }));
    },

    async create(req: Request): Promise<Response> {
      const row = await service.create(req.body as never);
      return created(row);
    },

    async render(req: Request): Promise<Response> {
      const file = path.join(config.templatesDir, '${d.name}.html');
${
  blocking
    ? `      const template = fs.readFileSync(file, 'utf8'); // expect: blocking-call
      const row = await service.get(req.params.id);`
    : `      const [template, row] = await Promise.all([fs.promises.readFile(file, 'utf8'), service.get(req.params.id)]);`
}
      return ok(template.replace('{{id}}', row.id));
    },

${
  asyncSync
    ? `    async health(): Promise<Response> { // expect: unused-async
      return ok({ ${d.name}: 'up' });
    },`
    : `    health(): Response {
      return ok({ ${d.name}: 'up' });
    },`
}
  };
}

export function parse${d.Name}Id(req: Request): string {
  const id = req.params.id;
  if (!id) throw new Error('missing id');
  return id;
}
`;
}

function tsJobs(d, rng) {
  const loopMistake = rng.chance(0.4);
  const forEachAsync = rng.chance(0.15);
  return `// Background jobs over ${d.name}s.
import { config } from '../../core/config';
import { retry } from '../../core/retry';
import { sleep } from '../../core/time';
import type { Logger } from '../../core/logger';
import type { ${d.Name} } from './model';
import type { ${d.Name}Repository } from './repository';

export async function reindex${d.Name}s(repo: ${d.Name}Repository, log: Logger): Promise<number> {
  let cursor: string | undefined;
  let total = 0;
  do {
    const page = await repo.list({ limit: config.concurrency * 10, cursor });
    total += page.items.length;
    cursor = page.next;
  } while (cursor);
  log.log('info', 'reindexed ${d.name}s', { total });
  return total;
}

export async function refresh${d.Name}s(repo: ${d.Name}Repository, ids: string[]): Promise<${d.Name}[]> {
${
  loopMistake
    ? `  const out: ${d.Name}[] = [];
  for (const id of ids) {
    out.push(await repo.get(id)); // expect: await-in-loop
  }
  return out;`
    : `  return await Promise.all(ids.map((id) => repo.get(id)));`
}
}

export async function migrate${d.Name}s(repo: ${d.Name}Repository, ids: string[]): Promise<void> {
  for (const id of ids) {
    await retry(() => repo.update(id, {}));
    await sleep(10);
  }
}

export async function warm${d.Name}Cache(repo: ${d.Name}Repository, ids: string[], log: Logger): Promise<void> {
${
  forEachAsync
    ? `  ids.forEach(async (id) => { // expect: async-callback
    await repo.findById(id);
  });
  await repo.list({ limit: 1 });`
    : `  await Promise.all(ids.map((id) => repo.findById(id)));`
}
  log.log('debug', 'warmed', { count: ids.length });
}

export async function firstMissing${d.Name}(repo: ${d.Name}Repository, ids: string[]): Promise<string | undefined> {
  for (const id of ids) {
    if (!(await repo.findById(id))) return id;
  }
  return undefined;
}
`;
}

function tsCache(d, rng) {
  const unusedAsync = rng.chance(0.3);
  return `// A read-through cache in front of the ${d.name} repository.
import { Cache } from '../../core/cache';
import type { Id } from '../../core/types';
import type { ${d.Name} } from './model';
import type { ${d.Name}Repository } from './repository';

export class ${d.Name}Cache {
  private readonly cache = new Cache<${d.Name}>(30_000);

  constructor(private readonly repo: ${d.Name}Repository) {}

  ${unusedAsync ? `async keyFor(id: Id): Promise<string> { // expect: unused-async` : `keyFor(id: Id): string {`}
    return \`${d.name}:\${id}\`;
  }

  async get(id: Id): Promise<${d.Name} | undefined> {
    const key = ${unusedAsync ? 'await ' : ''}this.keyFor(id);
    return await this.cache.getOrLoad(key, () => this.repo.get(id));
  }

  async invalidate(id: Id): Promise<void> {
    await this.cache.delete(${unusedAsync ? 'await ' : ''}this.keyFor(id));
  }

  getMany(ids: Id[]): Promise<(${d.Name} | undefined)[]> {
    return Promise.all(ids.map((id) => this.get(id)));
  }
}
`;
}

function tsEvents(d, rng) {
  const dropInTimer = rng.chance(0.2);
  return `// Reactions to ${d.name} events.
import type { EventBus } from '../../core/events';
import type { Logger } from '../../core/logger';
import type { ${d.Name} } from './model';
import type { ${d.Name}Cache } from './cache';

export function register${d.Name}Events(bus: EventBus, cache: ${d.Name}Cache, log: Logger): () => void {
  const offCreated = bus.subscribe<${d.Name}>('${d.name}.created', async (row) => {
    await cache.invalidate(row.id);
    log.log('info', '${d.name} created', { id: row.id });
  });
  const offRemoved = bus.subscribe<{ id: string }>('${d.name}.removed', async ({ id }) => {
    await cache.invalidate(id);
  });
  const timer = setInterval(() => {
${
  dropInTimer
    ? `    cache.invalidate('stale'); // expect: unawaited`
    : `    cache.invalidate('stale').catch((e) => log.log('warn', 'invalidate failed', { error: String(e) }));`
}
  }, 60_000);
  return () => {
    clearInterval(timer);
    offCreated();
    offRemoved();
  };
}
`;
}

function tsValidators(d) {
  const f = d.fields;
  return `// Input checks for ${d.name}s.
import type { ${d.Name}Input } from './model';
import type { ${d.Name}Repository } from './repository';

export function check${d.Name}(input: ${d.Name}Input): string[] {
  const problems: string[] = [];
${f
  .map(([n, t]) =>
    t === 'number'
      ? `  if (input.${n} !== undefined && (input.${n} < 0 || !Number.isFinite(input.${n}))) problems.push('${n} must be a positive number');`
      : t === 'string'
        ? `  if (input.${n} !== undefined && input.${n}.trim() === '') problems.push('${n} must not be blank');`
        : `  if (input.${n} === null) problems.push('${n} must be set');`,
  )
  .join('\n')}
  return problems;
}

export async function checkUnique${d.Name}(repo: ${d.Name}Repository, id: string): Promise<boolean> {
  const existing = await repo.findById(id);
  return existing === undefined;
}

export function normalize${d.Name}(input: ${d.Name}Input): ${d.Name}Input {
  const out: ${d.Name}Input = { ...input };
${f
  .filter(([, t]) => t === 'string')
  .map(([n]) => `  if (out.${n} !== undefined) out.${n} = out.${n}.trim();`)
  .join('\n')}
  return out;
}
`;
}

function tsIndex(d) {
  return `export * from './model';
export { ${d.Name}Repository } from './repository';
export { ${d.Name}Service } from './service';
export { ${d.name}Routes } from './handlers';
export { ${d.Name}Cache } from './cache';
export { register${d.Name}Events } from './events';
export * from './jobs';
export * from './validators';
`;
}

const TS_DOMAIN_FILES = {
  'model.ts': tsModel,
  'repository.ts': tsRepository,
  'service.ts': tsService,
  'handlers.ts': tsHandlers,
  'jobs.ts': tsJobs,
  'cache.ts': tsCache,
  'events.ts': tsEvents,
  'validators.ts': tsValidators,
  'index.ts': tsIndex,
};

/** The ~3,000-line file: one context type and many workflow functions over imported services. */
function tsLargeFile(domains, rng, targetLines) {
  const used = domains.slice(0, 12);
  const lines = [
    '// Orchestration of cross-domain workflows. Long on purpose: the language-server benchmark edits it.',
    "import fs from 'node:fs';",
    "import { sleep } from '../core/time';",
    "import type { Logger } from '../core/logger';",
    "import type { EventBus } from '../core/events';",
    ...used.map((d) => `import type { ${d.Name}Service } from '../domains/${d.name}/service';`),
    '',
    'export interface AppContext {',
    '  log: Logger;',
    '  events: EventBus;',
    ...used.map((d) => `  ${d.name}s: ${d.Name}Service;`),
    '}',
    '',
  ];
  const templates = [
    (i, a, b) => [
      `export async function sync${a.Name}With${b.Name}${i}(ctx: AppContext, id: string, otherId: string): Promise<number> {`,
      `  ${EDIT_MARK}`,
      `  const ${a.name} = await ctx.${a.name}s.get(id); // expect: sequential-await`,
      `  const ${b.name} = await ctx.${b.name}s.get(otherId);`,
      `  ctx.log.log('info', 'sync', { a: ${a.name}.id, b: ${b.name}.id });`,
      `  const updated = await ctx.${a.name}s.update(${a.name}.id, {});`,
      `  await ctx.events.publish('sync.${i}', { a: updated.id, b: ${b.name}.id });`,
      '  return 1;',
      '}',
    ],
    (i, a) => [
      `export async function refreshMany${a.Name}s${i}(ctx: AppContext, ids: string[]): Promise<string[]> {`,
      `  ${EDIT_MARK}`,
      '  const seen: string[] = [];',
      '  for (const id of ids) {',
      `    const row = await ctx.${a.name}s.get(id); // expect: await-in-loop`,
      '    seen.push(row.id);',
      '  }',
      "  ctx.log.log('debug', 'refreshed', { count: seen.length });",
      '  return seen;',
      '}',
    ],
    (i, a) => [
      `export async function export${a.Name}s${i}(ctx: AppContext, file: string): Promise<void> {`,
      `  ${EDIT_MARK}`,
      `  const page = await ctx.${a.name}s.list({ limit: 100 });`,
      '  const body = JSON.stringify(page.items, null, 2);',
      i % 3 === 0
        ? '  fs.writeFileSync(file, body); // expect: blocking-call'
        : '  await fs.promises.writeFile(file, body);',
      `  await ctx.events.publish('export.${i}', { count: page.items.length });`,
      '}',
    ],
    (i, a) => [
      `export async function waitFor${a.Name}${i}(ctx: AppContext, id: string, limitMs = 5_000): Promise<boolean> {`,
      `  ${EDIT_MARK}`,
      '  const start = Date.now();',
      '  while (Date.now() - start < limitMs) {',
      `    const row = await ctx.${a.name}s.get(id).catch(() => undefined);`,
      '    if (row) return true;',
      '    await sleep(100);',
      '  }',
      '  return false;',
      '}',
    ],
    (i, a, b) => [
      `export class ${a.Name}${b.Name}Bridge${i} {`,
      '  private pending = 0;',
      '',
      '  constructor(private readonly ctx: AppContext) {}',
      '',
      `  async forward(id: string): Promise<void> {`,
      `    ${EDIT_MARK}`,
      '    this.pending++;',
      '    try {',
      `      const row = await this.ctx.${a.name}s.get(id);`,
      `      await this.ctx.${b.name}s.list({ where: { ref: row.id } });`,
      '    } finally {',
      '      this.pending--;',
      '    }',
      '  }',
      '',
      '  async forwardAll(ids: string[]): Promise<void> {',
      '    await Promise.all(ids.map((id) => this.forward(id)));',
      '  }',
      '',
      '  get busy(): boolean {',
      '    return this.pending > 0;',
      '  }',
      '}',
    ],
    (i, a) => [
      `export async function notify${a.Name}Owners${i}(ctx: AppContext, ids: string[]): Promise<void> {`,
      `  ${EDIT_MARK}`,
      `  const rows = await Promise.all(ids.map((id) => ctx.${a.name}s.get(id)));`,
      '  for (const row of rows) {',
      `    ctx.log.log('info', 'notify', { id: row.id });`,
      '  }',
      i % 4 === 0
        ? `  ctx.events.publish('notified.${i}', { count: rows.length }); // expect: unawaited`
        : `  await ctx.events.publish('notified.${i}', { count: rows.length });`,
      '}',
    ],
    (i, a) => [
      `export function summarize${a.Name}s${i}(rows: { id: string; createdAt: Date }[]): { count: number; newest?: string } {`,
      '  let newest: { id: string; createdAt: Date } | undefined;',
      '  for (const row of rows) {',
      '    if (!newest || row.createdAt > newest.createdAt) newest = row;',
      '  }',
      '  return { count: rows.length, newest: newest?.id };',
      '}',
    ],
  ];
  let i = 0;
  while (lines.length < targetLines) {
    const a = rng.pick(used);
    const b = rng.pick(used.filter((x) => x !== a));
    lines.push(...rng.pick(templates)(i, a, b), '');
    i++;
  }
  return lines.join('\n');
}

function tsAppFiles(domains) {
  const files = {};
  files['app/wire.ts'] = `// Builds every service with its dependencies.
import { Db } from '../core/db';
import { bus } from '../core/events';
import { rootLogger } from '../core/logger';
import { config } from '../core/config';
${domains.map((d) => `import { ${d.Name}Repository, ${d.Name}Service } from '../domains/${d.name}';`).join('\n')}

export function wire() {
  const db = new Db(config.databaseUrl);
${domains.map((d) => `  const ${d.name}s = new ${d.Name}Service(new ${d.Name}Repository(db), bus, rootLogger.child('${d.name}')${d.deps.map((x) => `, ${x}s`).join('')});`).join('\n')}
  return { db, ${domains.map((d) => `${d.name}s`).join(', ')} };
}
`;
  files['app/main.ts'] = `// Entry point.
import { rootLogger } from '../core/logger';
import { wire } from './wire';

async function main(): Promise<void> {
  const services = wire();
  await services.db.execute('select 1');
  rootLogger.log('info', 'started', { services: Object.keys(services).length });
}

main().catch((e) => {
  rootLogger.log('error', 'fatal', { error: String(e) });
  process.exitCode = 1;
});
`;
  return files;
}

export function generateTsProject(
  dir,
  { seed = DEFAULT_SEED, domains: count = DEFAULT_DOMAINS, largeLines = 3000 } = {},
) {
  const rng = new Rng(seed);
  const domains = planDomains(rng, count);
  const files = {};
  files['tsconfig.json'] = `${JSON.stringify(
    {
      compilerOptions: {
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'Bundler',
        lib: ['ES2023', 'DOM'],
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
      },
      include: ['src'],
    },
    null,
    2,
  )}\n`;
  files['package.json'] = `${JSON.stringify({ name: 'bench-ts-corpus', private: true, type: 'module' }, null, 2)}\n`;
  for (const [name, make] of Object.entries(TS_CORE)) files[`src/${name}`] = make();
  for (const d of domains) {
    for (const [name, make] of Object.entries(TS_DOMAIN_FILES)) files[`src/domains/${d.name}/${name}`] = make(d, rng);
  }
  for (const [name, text] of Object.entries(tsAppFiles(domains))) files[`src/${name}`] = text;
  files['src/app/orchestrator.ts'] = tsLargeFile(domains, rng, largeLines);
  writeTree(dir, files);
  linkNodeTypes(dir);
  return {
    files: Object.keys(files).filter((f) => f.endsWith('.ts')).length,
    largeFile: path.join(dir, 'src/app/orchestrator.ts'),
  };
}

// ---- Python package ----------------------------------------------------------------------

const PY_CORE = {
  'core/__init__.py': () => '"""Shared infrastructure."""\n',
  'core/db.py': () => `"""The database client every repository uses."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Database:
    url: str
    queries: int = 0
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def query(self, sql: str, *params: Any) -> list[dict[str, Any]]:
        self.queries += 1
        await asyncio.sleep(0)
        return []

    async def one(self, sql: str, *params: Any) -> dict[str, Any] | None:
        rows = await self.query(sql, *params)
        return rows[0] if rows else None

    async def execute(self, sql: str, *params: Any) -> int:
        async with self._lock:
            await self.query(sql, *params)
        return 1

    async def page(self, table: str, limit: int = 50, cursor: str | None = None) -> tuple[list[dict[str, Any]], str | None]:
        rows = await self.query(f"select * from {table} limit $1", limit, cursor)
        return rows, (str(len(rows)) if rows else None)
`,
  'core/http.py': () => `"""HTTP access to the services we call."""
from __future__ import annotations

from typing import Any

import aiohttp


class ApiClient:
    def __init__(self, base: str, session: aiohttp.ClientSession) -> None:
        self.base = base
        self.session = session

    async def get_json(self, path: str) -> Any:
        async with self.session.get(self.base + path) as resp:
            resp.raise_for_status()
            return await resp.json()

    async def post_json(self, path: str, body: Any) -> Any:
        async with self.session.post(self.base + path, json=body) as resp:
            resp.raise_for_status()
            return await resp.json()


def open_client(base: str) -> ApiClient:
    return ApiClient(base, aiohttp.ClientSession())
`,
  'core/events.py': () => `"""An in-process event bus."""
from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Any, Awaitable, Callable

Handler = Callable[[Any], Awaitable[None]]


class EventBus:
    def __init__(self) -> None:
        self._handlers: dict[str, list[Handler]] = defaultdict(list)
        self._tasks: set[asyncio.Task[None]] = set()

    def subscribe(self, topic: str, handler: Handler) -> None:
        self._handlers[topic].append(handler)

    async def publish(self, topic: str, payload: Any) -> None:
        await asyncio.gather(*(h(payload) for h in self._handlers[topic]))

    def publish_later(self, topic: str, payload: Any) -> None:
        task = asyncio.create_task(self.publish(topic, payload))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


bus = EventBus()
`,
  'core/log.py': () => `"""Logging set-up."""
import logging

logging.basicConfig(level=logging.INFO)


def get_logger(name: str) -> logging.Logger:
    return logging.getLogger(f"app.{name}")
`,
  'core/config.py': () => `"""Configuration, read once at import time (blocking at module level is fine)."""
import json
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    database_url: str = "postgresql://localhost/app"
    api_base: str = "https://api.example.com"
    concurrency: int = 8
    templates_dir: str = "templates"


def load_settings(path: str = "settings.json") -> Settings:
    if not os.path.exists(path):
        return Settings()
    with open(path) as fh:
        return Settings(**json.load(fh))


settings = load_settings()
`,
  'core/retry.py': () => `"""Retrying with backoff: the awaits in these loops depend on each other on purpose."""
import asyncio
from typing import Awaitable, Callable, TypeVar

T = TypeVar("T")


async def retry(work: Callable[[], Awaitable[T]], attempts: int = 3, base: float = 0.05) -> T:
    last: Exception | None = None
    for attempt in range(attempts):
        try:
            return await work()
        except Exception as e:  # noqa: BLE001
            last = e
            await asyncio.sleep(base * 2**attempt)
    assert last is not None
    raise last


async def poll_until(check: Callable[[], Awaitable[bool]], interval: float, limit: float) -> bool:
    loop = asyncio.get_running_loop()
    start = loop.time()
    while loop.time() - start < limit:
        if await check():
            return True
        await asyncio.sleep(interval)
    return False
`,
  'core/cache.py': () => `"""A TTL cache with an async interface (the production one is remote)."""
from __future__ import annotations

import asyncio
import time
from typing import Any, Awaitable, Callable


class Cache:
    def __init__(self, ttl: float = 60.0) -> None:
        self.ttl = ttl
        self._entries: dict[str, tuple[float, Any]] = {}
        self._lock = asyncio.Lock()

    async def get(self, key: str) -> Any | None:
        async with self._lock:
            hit = self._entries.get(key)
        if hit is None or hit[0] < time.monotonic():
            return None
        return hit[1]

    async def set(self, key: str, value: Any) -> None:
        async with self._lock:
            self._entries[key] = (time.monotonic() + self.ttl, value)

    async def delete(self, key: str) -> None:
        async with self._lock:
            self._entries.pop(key, None)

    async def get_or_load(self, key: str, load: Callable[[], Awaitable[Any]]) -> Any:
        value = await self.get(key)
        if value is None:
            value = await load()
            await self.set(key, value)
        return value
`,
  'core/errors.py': () => `"""Errors with a stable code."""


class AppError(Exception):
    status = 500

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class NotFound(AppError):
    status = 404

    def __init__(self, what: str, ident: str) -> None:
        super().__init__("not_found", f"{what} {ident} not found")
`,
};

function pyModels(d) {
  return `"""${d.Name}: the stored shape."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

TABLE = "${snake(d.name)}s"


@dataclass
class ${d.Name}:
    id: str
${d.fields.map(([n, , , pt, pd]) => `    ${snake(n)}: ${pt} = ${pd}`).join('\n')}
    created_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    def describe(self) -> str:
        return f"${d.name} {self.id} ({self.${snake(d.fields[0][0])}})"

    @classmethod
    def from_row(cls, row: dict) -> "${d.Name}":
        return cls(**{k: v for k, v in row.items() if k in cls.__dataclass_fields__})
`;
}

function pyRepository(d, rng) {
  const blocking = rng.chance(0.25);
  return `"""Persistence for ${d.name}s."""
from __future__ import annotations

import asyncio
import json

from ..core.db import Database
from ..core.errors import NotFound
from .models import TABLE, ${d.Name}


class ${d.Name}Repository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def find(self, ident: str) -> ${d.Name} | None:
        row = await self.db.one(f"select * from {TABLE} where id = $1", ident)
        return ${d.Name}.from_row(row) if row else None

    async def get(self, ident: str) -> ${d.Name}:
        found = await self.find(ident)
        if found is None:
            raise NotFound("${d.name}", ident)
        return found

    async def list(self, limit: int = 50, cursor: str | None = None) -> list[${d.Name}]:
        rows, _ = await self.db.page(TABLE, limit, cursor)
        return [${d.Name}.from_row(r) for r in rows]

    async def save(self, item: ${d.Name}) -> ${d.Name}:
        await self.db.execute(f"insert into {TABLE} values ($1)", item)
        return item

    async def remove(self, ident: str) -> bool:
        return await self.db.execute(f"delete from {TABLE} where id = $1", ident) > 0

    async def export(self, path: str) -> int:
        items = await self.list(limit=10_000)
${
  blocking
    ? `        with open(path, "w") as fh:  # expect: blocking-call
            json.dump([i.__dict__ for i in items], fh, default=str)`
    : `        text = json.dumps([i.__dict__ for i in items], default=str)
        await asyncio.to_thread(_write, path, text)`
}
        return len(items)


def _write(path: str, text: str) -> None:
    with open(path, "w") as fh:
        fh.write(text)
`;
}

function pyService(d, rng) {
  const sequential = rng.chance(0.35);
  const unawaited = rng.chance(0.2);
  const first = d.deps[0];
  return `"""Business rules for ${d.name}s."""
from __future__ import annotations

import asyncio
import uuid

from ..core.events import EventBus
from ..core.log import get_logger
from .models import ${d.Name}
from .repository import ${d.Name}Repository
${d.deps.map((x) => `from ..${x}.service import ${pascal(x)}Service`).join('\n')}

log = get_logger("${d.name}")


class ${d.Name}Service:
    def __init__(self, repo: ${d.Name}Repository, events: EventBus${d.deps.map((x) => `, ${x}s: ${pascal(x)}Service`).join('')}) -> None:
        self.repo = repo
        self.events = events
${d.deps.map((x) => `        self.${x}s = ${x}s`).join('\n')}

    async def get(self, ident: str) -> ${d.Name}:
        return await self.repo.get(ident)

    async def create(self, **fields) -> ${d.Name}:
        item = ${d.Name}(id=str(uuid.uuid4()), **fields)
        await self.repo.save(item)
${unawaited ? `        self._announce(item)  # expect: unawaited` : `        await self._announce(item)`}
        return item

    async def _announce(self, item: ${d.Name}) -> None:
        await self.events.publish("${d.name}.created", item)
        log.info("created %s", item.id)

    async def remove(self, ident: str) -> None:
        if await self.repo.remove(ident):
            await self.events.publish("${d.name}.removed", {"id": ident})
${
  first
    ? `
    async def overview(self, ident: str, other: str) -> dict:
${
  sequential
    ? `        mine = await self.repo.get(ident)  # expect: sequential-await
        theirs = await self.${first}s.get(other)`
    : `        mine, theirs = await asyncio.gather(self.repo.get(ident), self.${first}s.get(other))`
}
        return {"${d.name}": mine, "related": theirs}

    async def linked(self, ident: str) -> dict:
        mine = await self.repo.get(ident)
        theirs = await self.${first}s.get(mine.id)
        return {"${d.name}": mine, "related": theirs}
`
    : ''
}
    async def touch_all(self, idents: list[str]) -> int:
        items = await asyncio.gather(*(self.repo.get(i) for i in idents))
        log.info("touched %d", len(items))
        return len(items)
`;
}

function pyHandlers(d, rng) {
  const blocking = rng.chance(0.3);
  const unused = rng.chance(0.25);
  const nested = rng.chance(0.08);
  return `"""HTTP handlers for ${d.name}s."""
from __future__ import annotations

import asyncio
import time

import requests

from ..core.config import settings
from ..core.errors import AppError
from .service import ${d.Name}Service


async def get_${snake(d.name)}(service: ${d.Name}Service, ident: str) -> dict:
    try:
        item = await service.get(ident)
    except AppError as e:
        return {"status": e.status, "error": e.code}
    return {"status": 200, "body": item.__dict__}


async def refresh_remote(service: ${d.Name}Service, ident: str) -> dict:${blocking ? '  # expect: unused-async' : ''}
${
  blocking
    ? `    time.sleep(0.1)  # expect: blocking-call
    resp = requests.get(f"{settings.api_base}/${d.name}s/{ident}")  # expect: blocking-call
    return resp.json()`
    : `    await asyncio.sleep(0.1)
    resp = await asyncio.to_thread(requests.get, f"{settings.api_base}/${d.name}s/{ident}")
    return resp.json()`
}


${
  unused
    ? `async def health() -> dict:  # expect: unused-async
    return {"${d.name}": "up"}`
    : `def health() -> dict:
    return {"${d.name}": "up"}`
}


def fetch_sync(ident: str) -> dict:
    return requests.get(f"{settings.api_base}/${d.name}s/{ident}").json()
${
  nested
    ? `

async def legacy_entry(service: ${d.Name}Service, ident: str) -> dict:  # expect: unused-async
    return asyncio.run(get_${snake(d.name)}(service, ident))  # expect: nested-event-loop`
    : ''
}
`;
}

function pyJobs(d, rng) {
  const loopMistake = rng.chance(0.4);
  const dangling = rng.chance(0.2);
  return `"""Background jobs over ${d.name}s."""
from __future__ import annotations

import asyncio

from ..core.retry import retry
from .repository import ${d.Name}Repository

_background: set[asyncio.Task] = set()


async def reindex(repo: ${d.Name}Repository) -> int:
    total = 0
    cursor = None
    while True:
        rows, cursor = await repo.db.page("${snake(d.name)}s", 100, cursor)
        total += len(rows)
        if cursor is None:
            return total


async def refresh(repo: ${d.Name}Repository, idents: list[str]) -> list:
${
  loopMistake
    ? `    out = []
    for ident in idents:
        out.append(await repo.get(ident))  # expect: await-in-loop
    return out`
    : `    return await asyncio.gather(*(repo.get(i) for i in idents))`
}


async def migrate(repo: ${d.Name}Repository, idents: list[str]) -> None:
    for ident in idents:
        await retry(lambda: repo.get(ident))
        await asyncio.sleep(0.01)


def schedule_refresh(repo: ${d.Name}Repository, idents: list[str]) -> None:
${
  dangling
    ? `    asyncio.create_task(refresh(repo, idents))  # expect: dangling-task`
    : `    task = asyncio.create_task(refresh(repo, idents))
    _background.add(task)
    task.add_done_callback(_background.discard)`
}


async def first_missing(repo: ${d.Name}Repository, idents: list[str]) -> str | None:
    for ident in idents:
        if await repo.find(ident) is None:
            return ident
    return None
`;
}

function pyClient(d, rng) {
  const perRequest = rng.chance(0.25);
  return `"""Calls to the remote ${d.name} API."""
from __future__ import annotations

import aiohttp

from ..core.config import settings


async def push_all(items: list[dict]) -> int:
${
  perRequest
    ? `    sent = 0
    for item in items:
        async with aiohttp.ClientSession() as session:  # expect: client-per-request
            async with session.post(f"{settings.api_base}/${d.name}s", json=item) as resp:
                sent += resp.status == 200
    return sent`
    : `    sent = 0
    async with aiohttp.ClientSession() as session:
        for item in items:
            async with session.post(f"{settings.api_base}/${d.name}s", json=item) as resp:
                sent += resp.status == 200
    return sent`
}


async def fetch(session: aiohttp.ClientSession, ident: str) -> dict:
    async with session.get(f"{settings.api_base}/${d.name}s/{ident}") as resp:
        return await resp.json()
`;
}

function pyTasks(d, rng) {
  const callSoon = rng.chance(0.1);
  return `"""Periodic work for ${d.name}s."""
from __future__ import annotations

import asyncio

from .jobs import reindex
from .repository import ${d.Name}Repository


async def tick(repo: ${d.Name}Repository) -> None:
    await reindex(repo)


def install(loop: asyncio.AbstractEventLoop, repo: ${d.Name}Repository) -> None:
${
  callSoon
    ? `    loop.call_soon(tick, repo)  # expect: async-callback`
    : `    loop.call_soon(lambda: loop.create_task(tick(repo)))`
}


async def run_forever(repo: ${d.Name}Repository, interval: float = 60.0) -> None:
    while True:
        await tick(repo)
        await asyncio.sleep(interval)
`;
}

function pyUtils(d) {
  return `"""Pure helpers for ${d.name}s."""
from __future__ import annotations

from .models import ${d.Name}


def normalize(item: ${d.Name}) -> ${d.Name}:
${
  d.fields
    .filter(([, , , pt]) => pt === 'str')
    .map(([n]) => `    item.${snake(n)} = item.${snake(n)}.strip()`)
    .join('\n') || '    return item'
}
    return item


def by_id(items: list[${d.Name}]) -> dict[str, ${d.Name}]:
    return {i.id: i for i in items}


def newest(items: list[${d.Name}]) -> ${d.Name} | None:
    return max(items, key=lambda i: i.created_at, default=None)
`;
}

function pyInit(d) {
  return `"""The ${d.name} domain."""
from .models import ${d.Name}
from .repository import ${d.Name}Repository
from .service import ${d.Name}Service

__all__ = ["${d.Name}", "${d.Name}Repository", "${d.Name}Service"]
`;
}

const PY_DOMAIN_FILES = {
  '__init__.py': pyInit,
  'models.py': pyModels,
  'repository.py': pyRepository,
  'service.py': pyService,
  'handlers.py': pyHandlers,
  'jobs.py': pyJobs,
  'client.py': pyClient,
  'tasks.py': pyTasks,
  'utils.py': pyUtils,
};

export function generatePyPackage(dir, { seed = DEFAULT_SEED, domains: count = DEFAULT_DOMAINS } = {}) {
  const rng = new Rng(seed * 31 + 1);
  const domains = planDomains(rng, count);
  const files = {};
  files['pyproject.toml'] = '[project]\nname = "bench-py-corpus"\nversion = "0.0.0"\n';
  files['app/__init__.py'] = '"""The benchmark application."""\n';
  for (const [name, make] of Object.entries(PY_CORE)) files[`app/${name}`] = make();
  for (const d of domains) {
    for (const [name, make] of Object.entries(PY_DOMAIN_FILES)) files[`app/${d.name}/${name}`] = make(d, rng);
  }
  files['app/main.py'] = `"""Entry point: builds every service and runs."""
import asyncio

from .core.db import Database
from .core.events import bus
from .core.config import settings
${domains.map((d) => `from .${d.name} import ${d.Name}Repository, ${d.Name}Service`).join('\n')}


def wire() -> dict:
    db = Database(settings.database_url)
${domains.map((d) => `    ${d.name}s = ${d.Name}Service(${d.Name}Repository(db), bus${d.deps.map((x) => `, ${x}s`).join('')})`).join('\n')}
    return {${domains.map((d) => `"${d.name}": ${d.name}s`).join(', ')}}


async def main() -> None:
    services = wire()
    await asyncio.sleep(0)
    print(len(services))


if __name__ == "__main__":
    asyncio.run(main())
`;
  writeTree(dir, files);
  return { files: Object.keys(files).filter((f) => f.endsWith('.py')).length };
}

// ---- writing -----------------------------------------------------------------------------

/**
 * The project's node_modules/@types/node: a link to the one this repository installed (the corpus
 * lives outside the repository, so TypeScript would not find it by walking up).
 */
function linkNodeTypes(dir) {
  const target = path.dirname(require.resolve('@types/node/package.json'));
  const link = path.join(dir, 'node_modules', '@types', 'node');
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.symlinkSync(target, link, 'dir');
}

function writeTree(dir, files) {
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
}

/**
 * Generates the corpus into `out` unless a corpus of the same version, seed and size is already
 * there. Returns the project folders and the large file for the LSP measurement.
 */
export function ensureCorpus(out, { seed = DEFAULT_SEED, domains = DEFAULT_DOMAINS, force = false } = {}) {
  const stampFile = path.join(out, 'corpus.json');
  const stamp = { version: CORPUS_VERSION, seed, domains };
  const result = {
    tsDir: path.join(out, 'ts'),
    pyDir: path.join(out, 'py'),
    largeFile: path.join(out, 'ts', 'src/app/orchestrator.ts'),
  };
  if (!force && fs.existsSync(stampFile)) {
    try {
      const old = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
      if (old.version === stamp.version && old.seed === seed && old.domains === domains)
        return { ...result, ...old, generated: false };
    } catch {
      // regenerate below
    }
  }
  fs.rmSync(out, { recursive: true, force: true });
  const ts = generateTsProject(result.tsDir, { seed, domains });
  const py = generatePyPackage(result.pyDir, { seed, domains });
  const info = { ...stamp, tsFiles: ts.files, pyFiles: py.files };
  fs.writeFileSync(stampFile, `${JSON.stringify(info, null, 2)}\n`);
  return { ...result, ...info, generated: true };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name, def) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : def;
  };
  const out = path.resolve(opt('--out', DEFAULT_CORPUS_DIR));
  const info = ensureCorpus(out, {
    seed: Number(opt('--seed', DEFAULT_SEED)),
    domains: Number(opt('--domains', DEFAULT_DOMAINS)),
    force: true,
  });
  console.log(`corpus in ${out}: ${info.tsFiles} TypeScript files, ${info.pyFiles} Python modules`);
}
