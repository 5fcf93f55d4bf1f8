// The TypeScript/JavaScript catalog of blocking calls: module -> function -> what blocks and what to
// use instead. Modules are Node.js builtin names without `node:`; GLOBAL holds globals. The
// blocking-call rule reads only this table (see docs/rules/blocking-call.md for the fix scheme).
import { GLOBAL, type ModuleRef } from './names';

/**
 * Whether the fs/promises replacement computes the same thing (it is never a safe fix: the call
 * then runs later, after other tasks had their turn; RULES.md "Fix safety"):
 * - `safe`: same arguments, same result, same errors (thrown at the `await`);
 * - `path-argument`: safe when the first argument is not a file descriptor (a number, or a type we
 *   cannot see: `any`); fs/promises takes a FileHandle where the sync form takes a number;
 * - `one-argument`: safe with one argument; `statSync(p, { throwIfNoEntry: false })` returns
 *   undefined where `stat` rejects;
 * - `suggestion`: close but not identical; the fix's title says so.
 */
export type FixSafety = 'safe' | 'path-argument' | 'one-argument' | 'suggestion';

export interface BlockingApi {
  /** What the call waits for, in the message: "blocks the event loop while it <waitsFor>". */
  waitsFor: string;
  /** The fs/promises function with the same arguments, when there is one. */
  promise?: string;
  /** Text appended to the promise call to keep the sync call's result (existsSync's boolean). */
  promiseSuffix?: string;
  safety?: FixSafety;
  /** What to use instead, in the message. */
  instead: string;
}

/** A key for every name in a module whose last segment ends with this, e.g. `*Sync`. */
export const SUFFIX_KEY = '*Sync';

const FILE = 'it waits for the file system';

function fsPromise(name: string, safety: FixSafety = 'safe'): BlockingApi {
  return { waitsFor: FILE, promise: name, safety, instead: `fs.promises.${name}` };
}

function fileHandle(method: string): BlockingApi {
  return { waitsFor: FILE, instead: `a FileHandle from fs.promises.open and its ${method}() method` };
}

export const BLOCKING_CALLS: Readonly<Record<string, Readonly<Record<string, BlockingApi>>>> = {
  fs: {
    accessSync: fsPromise('access'),
    appendFileSync: fsPromise('appendFile', 'path-argument'),
    chmodSync: fsPromise('chmod'),
    chownSync: fsPromise('chown'),
    copyFileSync: fsPromise('copyFile'),
    cpSync: fsPromise('cp'),
    existsSync: {
      waitsFor: FILE,
      promise: 'access',
      promiseSuffix: '.then(() => true, () => false)',
      safety: 'suggestion',
      instead: 'fs.promises.access (or handle ENOENT from the operation itself)',
    },
    lchownSync: fsPromise('lchown'),
    linkSync: fsPromise('link'),
    lstatSync: fsPromise('lstat', 'one-argument'),
    lutimesSync: fsPromise('lutimes'),
    mkdirSync: fsPromise('mkdir'),
    mkdtempSync: fsPromise('mkdtemp'),
    opendirSync: fsPromise('opendir'),
    readFileSync: fsPromise('readFile', 'path-argument'),
    readdirSync: fsPromise('readdir'),
    readlinkSync: fsPromise('readlink'),
    // fs.realpathSync resolves in JavaScript, fs.promises.realpath with realpath(3): results can differ.
    realpathSync: fsPromise('realpath', 'suggestion'),
    renameSync: fsPromise('rename'),
    rmSync: fsPromise('rm'),
    rmdirSync: fsPromise('rmdir'),
    statSync: fsPromise('stat', 'one-argument'),
    statfsSync: fsPromise('statfs'),
    symlinkSync: fsPromise('symlink'),
    truncateSync: fsPromise('truncate', 'path-argument'),
    unlinkSync: fsPromise('unlink'),
    utimesSync: fsPromise('utimes'),
    writeFileSync: fsPromise('writeFile', 'path-argument'),
    // fs.promises.open gives a FileHandle, not a number: the code around it has to change.
    openSync: { waitsFor: FILE, instead: 'fs.promises.open (it returns a FileHandle, not a descriptor)' },
    closeSync: fileHandle('close'),
    fchmodSync: fileHandle('chmod'),
    fchownSync: fileHandle('chown'),
    fdatasyncSync: fileHandle('datasync'),
    fstatSync: fileHandle('stat'),
    fsyncSync: fileHandle('sync'),
    ftruncateSync: fileHandle('truncate'),
    futimesSync: fileHandle('utimes'),
    readSync: fileHandle('read'),
    readvSync: fileHandle('readv'),
    writeSync: fileHandle('write'),
    writevSync: fileHandle('writev'),
    'realpathSync.native': { waitsFor: FILE, instead: 'fs.promises.realpath' },
    // Every other fs.*Sync (lchmodSync, globSync, and those of future Node versions).
    [SUFFIX_KEY]: { waitsFor: FILE, instead: 'the fs.promises function of the same name' },
  },
  child_process: {
    execSync: {
      waitsFor: 'it waits for the child process to exit',
      instead: 'child_process.exec with util.promisify, or spawn',
    },
    execFileSync: {
      waitsFor: 'it waits for the child process to exit',
      instead: 'child_process.execFile with util.promisify, or spawn',
    },
    spawnSync: { waitsFor: 'it waits for the child process to exit', instead: 'child_process.spawn and its events' },
  },
  zlib: {
    [SUFFIX_KEY]: {
      waitsFor: 'it compresses or decompresses',
      instead: 'the callback form with util.promisify, or a zlib stream',
    },
  },
  crypto: {
    pbkdf2Sync: { waitsFor: 'it derives the key', instead: 'crypto.pbkdf2 with util.promisify' },
    scryptSync: { waitsFor: 'it derives the key', instead: 'crypto.scrypt with util.promisify' },
    generateKeyPairSync: {
      waitsFor: 'it generates the key pair',
      instead: 'crypto.generateKeyPair with util.promisify',
    },
  },
  [GLOBAL]: {
    'Atomics.wait': { waitsFor: 'it waits on shared memory', instead: 'Atomics.waitAsync' },
  },
};

/** The catalog row for a resolved callee, if it blocks. */
export function lookupBlocking(ref: ModuleRef): BlockingApi | undefined {
  const table = BLOCKING_CALLS[ref.module];
  if (!table || ref.path.length === 0) return undefined;
  const exact = table[ref.path.join('.')];
  if (exact) return exact;
  const suffix = table[SUFFIX_KEY];
  if (suffix && ref.path.length === 1 && ref.path[0].endsWith(SUFFIX_KEY.slice(1)) && ref.path[0].length > 4)
    return suffix;
  return undefined;
}

/** Last names of every catalog entry, to skip calls that cannot match before asking the checker. */
export function couldBeBlocking(name: string): boolean {
  return name.endsWith('Sync') || LAST_NAMES.has(name);
}

const LAST_NAMES = new Set(
  Object.values(BLOCKING_CALLS).flatMap((table) =>
    Object.keys(table)
      .filter((k) => k !== SUFFIX_KEY)
      .map((k) => k.split('.').pop()!),
  ),
);

/**
 * Clock reads that make a loop a busy-wait when its condition compares them:
 * `while (Date.now() < deadline) {}`. Keys are module and export path, as refName would print them.
 */
export const CLOCKS: readonly ModuleRef[] = [
  { module: GLOBAL, path: ['Date', 'now'] },
  { module: GLOBAL, path: ['performance', 'now'] },
  { module: 'perf_hooks', path: ['performance', 'now'] },
  { module: GLOBAL, path: ['process', 'hrtime'] },
  { module: GLOBAL, path: ['process', 'hrtime', 'bigint'] },
  { module: 'process', path: ['hrtime'] },
  { module: 'process', path: ['hrtime', 'bigint'] },
];

/** Last names of the clock functions (`now`, `hrtime`, `bigint`), the syntactic pre-filter. */
export const CLOCK_NAMES: ReadonlySet<string> = new Set(CLOCKS.map((c) => c.path[c.path.length - 1]));
