// The catalog of known Python APIs: data, not code. Every entry is keyed by a qualified name as
// names.ts resolves it: `module.function`, `module.Class` (a constructor or a kind of object),
// `module.Class.method` (a method on an object of a known kind), `builtins.name` for builtins.
// Configuration (`blocking-calls`, `coroutines`) extends the tables; it never removes entries.
import type { ResolvedConfig } from '../engine/config';

export interface BlockingCall {
  /** What to use instead, shown in the message ("aiohttp or httpx.AsyncClient"). */
  instead: string;
  /**
   * An awaitable taking the same arguments (`asyncio.sleep` for `time.sleep`): the fix replaces
   * the call with `await <replacement>(...)`. Without one, the fix is `await asyncio.to_thread(...)`.
   */
  replacement?: string;
}

const HTTP_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'] as const;
const SOCKET_METHODS = [
  'connect',
  'accept',
  'send',
  'sendall',
  'sendto',
  'recv',
  'recv_into',
  'recvfrom',
  'recvfrom_into',
] as const;
const PATH_IO = ['read_text', 'write_text', 'read_bytes', 'write_bytes', 'open'] as const;

const THREAD = 'asyncio.to_thread';
const OS_SPAWN = [
  'spawnl',
  'spawnle',
  'spawnlp',
  'spawnlpe',
  'spawnv',
  'spawnve',
  'spawnvp',
  'spawnvpe',
  'posix_spawn',
  'posix_spawnp',
] as const;
const OS_WAIT = ['wait', 'wait3', 'wait4', 'waitpid', 'waitid'] as const;

/** Calls that block the thread they run on, and so the event loop when made from a coroutine. */
export const BLOCKING_CALLS: Readonly<Record<string, BlockingCall>> = {
  'time.sleep': { instead: 'await asyncio.sleep(...)', replacement: 'asyncio.sleep' },
  ...Object.fromEntries(HTTP_VERBS.map((v) => [`requests.${v}`, { instead: 'aiohttp or httpx.AsyncClient' }])),
  ...Object.fromEntries(
    HTTP_VERBS.map((v) => [`requests.Session.${v}`, { instead: 'aiohttp.ClientSession or httpx.AsyncClient' }]),
  ),
  'requests.Session.send': { instead: 'aiohttp.ClientSession or httpx.AsyncClient' },
  'urllib.request.urlopen': { instead: 'aiohttp or httpx.AsyncClient' },
  'builtins.open': { instead: `aiofiles.open, or ${THREAD}` },
  'builtins.input': { instead: `${THREAD}(input, ...)` },
  'subprocess.run': { instead: 'asyncio.create_subprocess_exec' },
  'subprocess.call': { instead: 'asyncio.create_subprocess_exec' },
  'subprocess.check_call': { instead: 'asyncio.create_subprocess_exec' },
  'subprocess.check_output': { instead: 'asyncio.create_subprocess_exec' },
  'subprocess.Popen': { instead: 'asyncio.create_subprocess_exec' },
  'subprocess.Popen.communicate': { instead: 'asyncio.create_subprocess_exec and await proc.communicate()' },
  'subprocess.Popen.wait': { instead: 'asyncio.create_subprocess_exec and await proc.wait()' },
  'os.system': { instead: 'asyncio.create_subprocess_shell' },
  'os.popen': { instead: 'asyncio.create_subprocess_shell' },
  'socket.create_connection': { instead: 'asyncio.open_connection' },
  ...Object.fromEntries(
    SOCKET_METHODS.map((m) => [
      `socket.socket.${m}`,
      { instead: 'asyncio streams (asyncio.open_connection) or the loop.sock_* coroutines' },
    ]),
  ),
  'hashlib.pbkdf2_hmac': { instead: `${THREAD}(hashlib.pbkdf2_hmac, ...)` },
  'hashlib.scrypt': { instead: `${THREAD}(hashlib.scrypt, ...)` },
  'bcrypt.hashpw': { instead: `${THREAD}(bcrypt.hashpw, ...)` },
  'bcrypt.checkpw': { instead: `${THREAD}(bcrypt.checkpw, ...)` },
  'bcrypt.kdf': { instead: `${THREAD}(bcrypt.kdf, ...)` },
  ...Object.fromEntries(PATH_IO.map((m) => [`pathlib.Path.${m}`, { instead: `aiofiles, or ${THREAD}` }])),
  // What flake8-async (ASYNC2xx) and Ruff know besides.
  ...Object.fromEntries([...HTTP_VERBS, 'stream'].map((v) => [`httpx.${v}`, { instead: 'httpx.AsyncClient' }])),
  ...Object.fromEntries(
    [...HTTP_VERBS, 'send', 'stream'].map((v) => [`httpx.Client.${v}`, { instead: 'httpx.AsyncClient' }]),
  ),
  'urllib3.request': { instead: 'aiohttp or httpx.AsyncClient' },
  'urllib3.PoolManager.request': { instead: 'aiohttp or httpx.AsyncClient' },
  'urllib3.PoolManager.urlopen': { instead: 'aiohttp or httpx.AsyncClient' },
  'subprocess.getoutput': { instead: 'asyncio.create_subprocess_shell' },
  'subprocess.getstatusoutput': { instead: 'asyncio.create_subprocess_shell' },
  ...Object.fromEntries(OS_SPAWN.map((f) => [`os.${f}`, { instead: 'asyncio.create_subprocess_exec' }])),
  ...Object.fromEntries(
    OS_WAIT.map((f) => [`os.${f}`, { instead: `asyncio.create_subprocess_exec and await proc.wait(), or ${THREAD}` }]),
  ),
  'io.open': { instead: `aiofiles.open, or ${THREAD}` },
  'io.open_code': { instead: THREAD },
  'os.fdopen': { instead: `aiofiles, or ${THREAD}` },
};

/** Library coroutine functions: calling one only creates a coroutine, which must be awaited. */
export const COROUTINES: ReadonlySet<string> = new Set([
  'asyncio.sleep',
  'asyncio.wait_for',
  'asyncio.wait',
  'asyncio.to_thread',
  'asyncio.open_connection',
  'asyncio.open_unix_connection',
  'asyncio.start_server',
  'asyncio.start_unix_server',
  'asyncio.create_subprocess_exec',
  'asyncio.create_subprocess_shell',
  'asyncio.StreamWriter.drain',
  'asyncio.StreamWriter.wait_closed',
  'asyncio.StreamWriter.start_tls',
  'asyncio.StreamReader.read',
  'asyncio.StreamReader.readline',
  'asyncio.StreamReader.readexactly',
  'asyncio.StreamReader.readuntil',
  'asyncio.Queue.put',
  'asyncio.Queue.get',
  'asyncio.Queue.join',
  'asyncio.Lock.acquire',
  'asyncio.Semaphore.acquire',
  'asyncio.Event.wait',
  'asyncio.Condition.wait',
  'asyncio.Condition.wait_for',
  'asyncio.subprocess.Process.wait',
  'asyncio.subprocess.Process.communicate',
  'asyncio.AbstractEventLoop.sock_recv',
  'asyncio.AbstractEventLoop.sock_recv_into',
  'asyncio.AbstractEventLoop.sock_sendall',
  'asyncio.AbstractEventLoop.sock_connect',
  'asyncio.AbstractEventLoop.sock_accept',
  'asyncio.AbstractEventLoop.getaddrinfo',
  'asyncio.AbstractEventLoop.create_connection',
  'asyncio.AbstractEventLoop.create_server',
  'asyncio.AbstractEventLoop.shutdown_asyncgens',
  'asyncio.AbstractEventLoop.shutdown_default_executor',
  'asyncio.AbstractEventLoop.getnameinfo',
  'asyncio.AbstractEventLoop.create_unix_connection',
  'asyncio.AbstractEventLoop.create_unix_server',
  'asyncio.AbstractEventLoop.create_datagram_endpoint',
  'asyncio.AbstractEventLoop.connect_read_pipe',
  'asyncio.AbstractEventLoop.connect_write_pipe',
  'asyncio.AbstractEventLoop.subprocess_exec',
  'asyncio.AbstractEventLoop.subprocess_shell',
  'asyncio.AbstractEventLoop.start_tls',
  'asyncio.AbstractEventLoop.sendfile',
  'asyncio.AbstractEventLoop.sock_sendfile',
  'aiohttp.ClientSession.close',
  'aiohttp.ClientResponse.text',
  'aiohttp.ClientResponse.json',
  'aiohttp.ClientResponse.read',
  'httpx.AsyncClient.get',
  'httpx.AsyncClient.post',
  'httpx.AsyncClient.put',
  'httpx.AsyncClient.patch',
  'httpx.AsyncClient.delete',
  'httpx.AsyncClient.head',
  'httpx.AsyncClient.options',
  'httpx.AsyncClient.request',
  'httpx.AsyncClient.send',
  'httpx.AsyncClient.aclose',
]);

/**
 * What a call returns, as a kind (the qualified name of a class whose methods the tables above
 * know): constructors, factories, and coroutines by their awaited result. An array is a tuple
 * (`reader, writer = await asyncio.open_connection(...)`).
 */
export const RETURNS: Readonly<Record<string, string | readonly string[]>> = {
  'asyncio.get_running_loop': 'asyncio.AbstractEventLoop',
  'asyncio.get_event_loop': 'asyncio.AbstractEventLoop',
  'asyncio.new_event_loop': 'asyncio.AbstractEventLoop',
  'asyncio.open_connection': ['asyncio.StreamReader', 'asyncio.StreamWriter'],
  'asyncio.open_unix_connection': ['asyncio.StreamReader', 'asyncio.StreamWriter'],
  'asyncio.create_subprocess_exec': 'asyncio.subprocess.Process',
  'asyncio.create_subprocess_shell': 'asyncio.subprocess.Process',
  'asyncio.Queue': 'asyncio.Queue',
  'asyncio.LifoQueue': 'asyncio.Queue',
  'asyncio.PriorityQueue': 'asyncio.Queue',
  'asyncio.Lock': 'asyncio.Lock',
  'asyncio.Semaphore': 'asyncio.Semaphore',
  'asyncio.BoundedSemaphore': 'asyncio.Semaphore',
  'asyncio.Event': 'asyncio.Event',
  'asyncio.Condition': 'asyncio.Condition',
  'asyncio.TaskGroup': 'asyncio.TaskGroup',
  'asyncio.Runner': 'asyncio.Runner',
  'requests.Session': 'requests.Session',
  'requests.session': 'requests.Session',
  'pathlib.Path': 'pathlib.Path',
  'pathlib.PosixPath': 'pathlib.Path',
  'pathlib.WindowsPath': 'pathlib.Path',
  'pathlib.Path.cwd': 'pathlib.Path',
  'pathlib.Path.home': 'pathlib.Path',
  'pathlib.Path.joinpath': 'pathlib.Path',
  'pathlib.Path.with_name': 'pathlib.Path',
  'pathlib.Path.with_suffix': 'pathlib.Path',
  'pathlib.Path.with_stem': 'pathlib.Path',
  'pathlib.Path.resolve': 'pathlib.Path',
  'pathlib.Path.absolute': 'pathlib.Path',
  'pathlib.Path.expanduser': 'pathlib.Path',
  'socket.socket': 'socket.socket',
  'socket.create_connection': 'socket.socket',
  'subprocess.Popen': 'subprocess.Popen',
  'aiohttp.ClientSession': 'aiohttp.ClientSession',
  ...Object.fromEntries(HTTP_VERBS.map((v) => [`aiohttp.ClientSession.${v}`, 'aiohttp.ClientResponse'])),
  'httpx.AsyncClient': 'httpx.AsyncClient',
  'httpx.Client': 'httpx.Client',
  'urllib3.PoolManager': 'urllib3.PoolManager',
};

/**
 * Kinds known by an annotation (`def f(p: Path)`, `loop: asyncio.AbstractEventLoop`): type name
 * -> kind. Every kind is also its own annotation.
 */
export const ANNOTATION_KINDS: Readonly<Record<string, string>> = {
  'asyncio.AbstractEventLoop': 'asyncio.AbstractEventLoop',
  'asyncio.events.AbstractEventLoop': 'asyncio.AbstractEventLoop',
  'asyncio.BaseEventLoop': 'asyncio.AbstractEventLoop',
  'asyncio.StreamReader': 'asyncio.StreamReader',
  'asyncio.StreamWriter': 'asyncio.StreamWriter',
  'asyncio.Queue': 'asyncio.Queue',
  'asyncio.LifoQueue': 'asyncio.Queue',
  'asyncio.PriorityQueue': 'asyncio.Queue',
  'asyncio.Lock': 'asyncio.Lock',
  'asyncio.Semaphore': 'asyncio.Semaphore',
  'asyncio.Event': 'asyncio.Event',
  'asyncio.Condition': 'asyncio.Condition',
  'asyncio.TaskGroup': 'asyncio.TaskGroup',
  'asyncio.subprocess.Process': 'asyncio.subprocess.Process',
  'requests.Session': 'requests.Session',
  'pathlib.Path': 'pathlib.Path',
  'pathlib.PosixPath': 'pathlib.Path',
  'pathlib.WindowsPath': 'pathlib.Path',
  'socket.socket': 'socket.socket',
  'subprocess.Popen': 'subprocess.Popen',
  'aiohttp.ClientSession': 'aiohttp.ClientSession',
  'aiohttp.ClientResponse': 'aiohttp.ClientResponse',
  'httpx.AsyncClient': 'httpx.AsyncClient',
  'httpx.Client': 'httpx.Client',
  'urllib3.PoolManager': 'urllib3.PoolManager',
};

/** Calls that schedule a coroutine as a task (dangling-task). `asyncio.TaskGroup.create_task` keeps its tasks. */
export const TASK_FACTORIES: ReadonlySet<string> = new Set([
  'asyncio.create_task',
  'asyncio.ensure_future',
  'asyncio.AbstractEventLoop.create_task',
]);

/** Calls that run an event loop until done (nested-event-loop), and whether `await arg` replaces them. */
export const LOOP_RUNNERS: Readonly<Record<string, { awaitable: boolean }>> = {
  'asyncio.run': { awaitable: true },
  'asyncio.AbstractEventLoop.run_until_complete': { awaitable: true },
  'asyncio.AbstractEventLoop.run_forever': { awaitable: false },
  'asyncio.Runner.run': { awaitable: true },
};

/** Loop methods that take a plain callback (async-callback): a coroutine function there is never awaited. */
export const CALLBACK_SCHEDULERS: Readonly<Record<string, { callbackIndex: number }>> = {
  'asyncio.AbstractEventLoop.call_soon': { callbackIndex: 0 },
  'asyncio.AbstractEventLoop.call_soon_threadsafe': { callbackIndex: 0 },
  'asyncio.AbstractEventLoop.call_later': { callbackIndex: 1 },
  'asyncio.AbstractEventLoop.call_at': { callbackIndex: 1 },
};

/** Functions that take coroutines and await or schedule them: a coroutine passed to one is handled. */
export const COROUTINE_CONSUMERS: ReadonlySet<string> = new Set([
  'asyncio.gather',
  'asyncio.wait',
  'asyncio.wait_for',
  'asyncio.shield',
  'asyncio.create_task',
  'asyncio.ensure_future',
  'asyncio.run',
  'asyncio.run_coroutine_threadsafe',
  'asyncio.as_completed',
  'asyncio.timeout',
  'asyncio.AbstractEventLoop.create_task',
  'asyncio.AbstractEventLoop.run_until_complete',
  'asyncio.TaskGroup.create_task',
  'asyncio.Runner.run',
]);

/** HTTP client session classes, meant to live as long as the application (client-per-request). */
export const CLIENT_SESSIONS: Readonly<Record<string, { requestMethods: readonly string[] }>> = {
  'aiohttp.ClientSession': { requestMethods: [...HTTP_VERBS, 'ws_connect'] },
  'httpx.AsyncClient': { requestMethods: [...HTTP_VERBS, 'send', 'stream'] },
};

/** The tables above merged with a configuration's `blocking-calls` and `coroutines`. */
export class Catalog {
  private readonly blocking: ReadonlyMap<string, BlockingCall>;
  private readonly coroutines: ReadonlySet<string>;

  constructor(config?: Pick<ResolvedConfig, 'blockingCalls' | 'coroutines'>) {
    const blocking = new Map(Object.entries(BLOCKING_CALLS));
    for (const entry of config?.blockingCalls ?? []) {
      blocking.set(entry.name, {
        instead: entry.replacement ? `await ${entry.replacement}(...)` : `an async API, or ${THREAD}`,
        replacement: entry.replacement,
      });
    }
    this.blocking = blocking;
    this.coroutines = config?.coroutines.length ? new Set([...COROUTINES, ...config.coroutines]) : COROUTINES;
    const names = [
      ...blocking.keys(),
      ...this.coroutines,
      ...Object.keys(RETURNS),
      ...TASK_FACTORIES,
      ...Object.keys(LOOP_RUNNERS),
      ...Object.keys(CALLBACK_SCHEDULERS),
      ...COROUTINE_CONSUMERS,
      'asyncio.gather',
    ];
    this.lastSegments = new Set(names.map((n) => n.slice(n.lastIndexOf('.') + 1)));
  }

  private readonly lastSegments: ReadonlySet<string>;

  /** Whether some catalog entry ends in `name` (`create_task`, `sleep`): a cheap filter before resolving re-exports. */
  endsSomeEntry(name: string): boolean {
    return this.lastSegments.has(name);
  }

  blockingCall(qname: string): BlockingCall | undefined {
    return this.blocking.get(qname);
  }

  isCoroutine(qname: string): boolean {
    return this.coroutines.has(qname);
  }

  /** The kind (or tuple of kinds) a call of `qname` returns, if known. */
  returns(qname: string): string | readonly string[] | undefined {
    return Object.hasOwn(RETURNS, qname) ? RETURNS[qname] : undefined;
  }

  /** The kind an annotation names, if known. */
  annotationKind(qname: string): string | undefined {
    return Object.hasOwn(ANNOTATION_KINDS, qname) ? ANNOTATION_KINDS[qname] : undefined;
  }

  isTaskFactory(qname: string): boolean {
    return TASK_FACTORIES.has(qname);
  }

  loopRunner(qname: string): { awaitable: boolean } | undefined {
    return Object.hasOwn(LOOP_RUNNERS, qname) ? LOOP_RUNNERS[qname] : undefined;
  }

  callbackScheduler(qname: string): { callbackIndex: number } | undefined {
    return Object.hasOwn(CALLBACK_SCHEDULERS, qname) ? CALLBACK_SCHEDULERS[qname] : undefined;
  }

  isCoroutineConsumer(qname: string): boolean {
    return COROUTINE_CONSUMERS.has(qname);
  }

  clientSession(qname: string): { requestMethods: readonly string[] } | undefined {
    return Object.hasOwn(CLIENT_SESSIONS, qname) ? CLIENT_SESSIONS[qname] : undefined;
  }
}

const catalogs = new WeakMap<object, Catalog>();

/** One catalog per resolved configuration (configurations are cached per folder). */
export function catalogFor(config: Pick<ResolvedConfig, 'blockingCalls' | 'coroutines'>): Catalog {
  let c = catalogs.get(config);
  if (!c) {
    c = new Catalog(config);
    catalogs.set(config, c);
  }
  return c;
}
