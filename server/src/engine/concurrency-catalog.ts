// The concurrency catalog, as data: which receivers are stateful (two calls on one must not
// overlap, and an item loop through one is deliberately ordered), which are known safe for
// concurrent use, and which are named for output or hooks (their calls stay in order), for
// sequential-await and await-in-loop in both languages. The TypeScript model
// (typescript/concurrency.ts) matches a receiver's type by name and declaring package; the Python
// one (python/concurrency.ts) matches the kind a receiver was made or annotated as. Configuration
// (`concurrency.safe`, `concurrency.stateful`) adds names; it never removes entries.
import type { ResolvedConfig } from './config';

/**
 * Words that, as a word of a type or class name (`QueryRunner`, `PoolConnection`,
 * `asyncpg.Connection`, `StreamReader`), make it a stateful kind: a connection, transaction,
 * query runner, database session, cursor, stream, reader, writer, socket, lock, queue or channel.
 */
export const STATEFUL_WORDS: readonly string[] = [
  'connection',
  'conn',
  'transaction',
  'tx',
  'runner',
  'session',
  'cursor',
  'stream',
  'reader',
  'writer',
  'socket',
  'websocket',
  'lock',
  'mutex',
  'semaphore',
  'queue',
  'channel',
  'pipeline',
  'pubsub',
  'manager',
];

/**
 * Known safe for concurrent use: HTTP clients, connection pools, file system promises, delays.
 * TypeScript entries are `<package>` (everything it declares) or `<package>:<TypeName>`; Python
 * entries are qualified names of kinds or functions. These win over STATEFUL_WORDS
 * (`aiohttp.ClientSession` is an HTTP client session, not a database session).
 */
export const SAFE_TS: readonly string[] = [
  'axios',
  'got',
  'ky',
  'undici',
  'node-fetch',
  'fs/promises',
  'node:fs/promises',
  'pg:Pool',
  'mysql2:Pool',
  'mysql2/promise:Pool',
  'generic-pool:Pool',
];

export const SAFE_PY: readonly string[] = [
  'aiohttp.ClientSession',
  'httpx.AsyncClient',
  'asyncpg.Pool',
  'asyncpg.pool.Pool',
  'asyncio.sleep',
  'asyncio.to_thread',
  'aiofiles',
];

/** TypeScript types of known packages that are stateful though no word of their name says so. */
export const STATEFUL_TS: readonly string[] = [
  'pg:Client',
  'pg:PoolClient',
  'mysql2:PoolConnection',
  'typeorm:EntityManager',
];

/** Python constructors and factories whose result is stateful (by how it was made). */
export const STATEFUL_PY_FACTORIES: readonly string[] = [
  'asyncpg.connect',
  'aiosqlite.connect',
  'aiomysql.connect',
  'psycopg.AsyncConnection.connect',
  'asyncio.open_connection',
  'asyncio.open_unix_connection',
  'websockets.connect',
  'sqlalchemy.ext.asyncio.AsyncSession',
  'aiohttp.ClientSession.ws_connect',
];

/**
 * Python receivers named for a stateful kind (a parameter `conn`, `cursor`, `writer`): in a
 * language without types the name its author gave it is the evidence left.
 */
export const STATEFUL_PY_NAMES: ReadonlySet<string> = new Set([
  'conn',
  'connection',
  'cur',
  'cursor',
  'tx',
  'txn',
  'transaction',
  'reader',
  'writer',
  'stream',
  'sock',
  'socket',
  'ws',
  'websocket',
  'lock',
  'queue',
  'channel',
  'pipe',
  'pipeline',
  'pubsub',
]);

/**
 * Receivers named for output or user hooks (`logger.info()`, `hooks.run()`), by the last word of
 * their name: the order of calls on one of them is their meaning (a log reads top to bottom, hooks
 * run in turn), so awaits of them are never suggested to run together.
 */
const ORDERED_RECEIVER_WORDS: readonly string[] = [
  'logger',
  'log',
  'trace',
  'tracer',
  'signal',
  'signals',
  'hook',
  'hooks',
  'middleware',
  'middlewares',
  'listener',
  'listeners',
  'handler',
  'handlers',
  'callback',
  'callbacks',
];

export const ORDERED_RECEIVERS_TS: ReadonlySet<string> = new Set([
  ...ORDERED_RECEIVER_WORDS,
  'console',
  'emitter',
  'events',
]);

export const ORDERED_RECEIVERS_PY: ReadonlySet<string> = new Set([
  ...ORDERED_RECEIVER_WORDS,
  'logging',
  'observer',
  'observers',
  'subscriber',
  'subscribers',
  'detector',
  'detectors',
  'watcher',
  'watchers',
  'plugin',
  'plugins',
]);

/** A type or class name split into lower-case words: `PoolConnection` -> pool, connection. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}

export interface ConcurrencyCatalog {
  /** Names known safe: catalog plus configuration. */
  safe: ReadonlySet<string>;
  /** Names known stateful: catalog plus configuration. */
  stateful: ReadonlySet<string>;
}

const byConfig = new WeakMap<object, ConcurrencyCatalog>();

/** The catalog merged with a configuration's `concurrency` entries (type names or dotted names). */
export function concurrencyCatalog(config: Pick<ResolvedConfig, 'concurrency'> | undefined): ConcurrencyCatalog {
  const key = config ?? byConfig;
  let c = byConfig.get(key);
  if (!c) {
    c = {
      safe: new Set([...SAFE_TS, ...SAFE_PY, ...(config?.concurrency?.safe ?? [])]),
      stateful: new Set([...STATEFUL_TS, ...STATEFUL_PY_FACTORIES, ...(config?.concurrency?.stateful ?? [])]),
    };
    byConfig.set(key, c);
  }
  return c;
}

/** Whether a type or kind name (last segment of a dotted name) reads as a stateful kind. */
export function hasStatefulWord(name: string): boolean {
  const last = name.split('.').pop() ?? name;
  return nameWords(last).some((w) => STATEFUL_WORDS.includes(w));
}
