// --shard i/n: one of n CI jobs lints the i-th part of the files, so that the n jobs together
// lint each file exactly once and report what one run would.
//
// Files are dealt out in units: a TypeScript/JavaScript file goes with every file of its project
// (the nearest tsconfig.json or jsconfig.json above it, as the TypeScript backend finds its
// project), so no shard builds a program it lints nothing of; any other file is a unit of its own.
// Units are given, largest first, each to the shard with the fewest bytes so far (ties: the lower
// shard). The deal depends only on the files' paths relative to the working folder, their sizes
// and the configuration files on disk, so every job of a matrix computes the same deal.
//
// A shard's findings are those of a whole run for its files: backends whose answers about a file
// depend on the other files of the run (Python's unused-async counts uses of a name in them) are
// still told every file (LanguageBackend.wholeRun); only the shard's files are analysed.
import fs from 'node:fs';
import path from 'node:path';
import { configSearchEndsAt, inferredProjectRoot, projectConfigIn } from '../typescript/project-search';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** `i/n` with 1 <= i <= n; the message says what is wrong otherwise. */
export function parseShard(spec: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(spec);
  if (!m) throw new Error(`--shard expects i/n (for example 2/4), got '${spec}'`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count)
    throw new Error(`--shard ${spec}: i must be between 1 and n, and n at least 1`);
  return { index, count };
}

const INFERRED = 'inferred:';

export interface ShardFile {
  path: string;
  /** Bytes (the weight of the file in the deal). */
  size: number;
  /** Files of one unit go to one shard. */
  unit: string;
}

/** The shard (1-based) of each file, by path. */
export function dealShards(files: readonly ShardFile[], count: number, cwd: string): Map<string, number> {
  const units = new Map<string, { key: string; size: number; files: string[] }>();
  for (const f of files) {
    let u = units.get(f.unit);
    if (!u) units.set(f.unit, (u = { key: unitKey(f.unit, cwd), size: 0, files: [] }));
    u.size += f.size;
    u.files.push(f.path);
  }
  const order = [...units.values()].sort((a, b) => b.size - a.size || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const load = new Array<number>(count).fill(0);
  const shardOf = new Map<string, number>();
  for (const u of order) {
    let best = 0;
    for (let i = 1; i < count; i++) if (load[i] < load[best]) best = i;
    load[best] += u.size;
    for (const f of u.files) shardOf.set(f, best + 1);
  }
  return shardOf;
}

/** A unit as every job of a matrix spells it: paths relative to the working folder, with `/`. */
function unitKey(unit: string, cwd: string): string {
  return unit.startsWith(INFERRED) ? INFERRED + relativeKey(unit.slice(INFERRED.length), cwd) : relativeKey(unit, cwd);
}

function relativeKey(p: string, cwd: string): string {
  const rel = path.relative(cwd, p);
  return (rel === '' ? '.' : rel).split(path.sep).join('/');
}

/**
 * The unit of a TypeScript/JavaScript file: its project as the TypeScript backend finds it
 * (typescript/host.ts projectFor): the nearest tsconfig.json/jsconfig.json from its folder up (not
 * above a node_modules folder), else the inferred project of the nearest folder with a
 * package.json, else of its own folder. `known` caches the answers per folder.
 */
export function typeScriptUnit(file: string, known: Map<string, string>): string {
  const start = path.dirname(path.resolve(file));
  const cached = known.get(start);
  if (cached !== undefined) return cached;
  let unit: string | undefined;
  for (let dir = start; ; dir = path.dirname(dir)) {
    unit = projectConfigIn(dir, isFile);
    if (unit || configSearchEndsAt(dir, undefined)) break;
  }
  unit ??= INFERRED + inferredProjectRoot(start, undefined, isFile);
  known.set(start, unit);
  return unit;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
