// Configuration: the nearest of async-lint.json, "async-lint" in package.json, or
// [tool.async-lint] in pyproject.toml, searched from the file's folder upwards. Nothing is ever
// executed: configuration is JSON or TOML data, validated against schemas/async-lint.schema.json.
// Precedence, lowest first: rule defaults < editor settings < the project file's `rules` < the
// built-in overrides (test code) < the project file's `overrides`, in order < command line.
// `overrides` entries apply to the files their globs match (gitignore style, relative to the lint
// root: the folder of the configuration file, or with none the CLI's current folder (for files
// outside it, their project's top folder: cli/run.ts lintRootOf) / the server's workspace folder).
import path from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { parse as parseToml } from 'smol-toml';
import schema from '../../../schemas/async-lint.schema.json';
import { RULES, RULE_IDS, unknownRuleMessage } from './rules';
import type { SeverityOrOff } from './types';
import { compileGlobs, gitignoreTest, type GlobRule } from './walk';

export const DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024;
export const CONFIG_FILE = 'async-lint.json';

export interface BlockingCallEntry {
  name: string;
  replacement?: string;
}

/** Rule severities for the files some globs match (ESLint's files-scoped configs, Ruff's per-file-ignores). */
export interface OverrideEntry {
  files: string[];
  rules: Record<string, SeverityOrOff>;
}

/** A severity as a configuration file or `--rule` may spell it: ours, ESLint's `warn`, or ESLint's 0/1/2. */
export type SeveritySetting = SeverityOrOff | 'warn' | 0 | 1 | 2;

/** ESLint's spellings to ours: `warn` is warning; 0 off, 1 warning, 2 error. */
export function normalizeSeverity(s: SeveritySetting | string): SeverityOrOff | undefined {
  if (isSeverityOrOff(String(s))) return String(s) as SeverityOrOff;
  switch (String(s)) {
    case 'warn':
    case '1':
      return 'warning';
    case '0':
      return 'off';
    case '2':
      return 'error';
  }
  return undefined;
}

function normalizeRules(rules: Record<string, SeveritySetting> | undefined): Record<string, SeverityOrOff> | undefined {
  if (!rules) return undefined;
  const out: Record<string, SeverityOrOff> = {};
  for (const [id, sev] of Object.entries(rules)) {
    const n = normalizeSeverity(sev);
    if (n) out[id] = n;
  }
  return out;
}

/**
 * Test code (files named test_*.py, *_test.py, conftest.py, *.test.*, *.spec.*, or under a test/,
 * tests/ or __tests__/ folder below the lint root) reads fixtures from disk and awaits in order on
 * purpose: the rules that judge style and speed are off there; the bug-finding rules stay on. The
 * first override of every configuration; a project's own overrides come after it and win.
 */
export const DEFAULT_OVERRIDES: readonly OverrideEntry[] = [
  {
    // Test code, and the helpers that support it (a test-utils package, a test-util module).
    files: [
      'test_*.py',
      '*_test.py',
      'conftest.py',
      '*.test.*',
      '*.spec.*',
      'test/',
      'tests/',
      '__tests__/',
      'test-utils/',
      'test_utils/',
      '*test-util.*',
      '*test-utils.*',
      '*test_util.*',
    ],
    rules: { 'blocking-call': 'off', 'sequential-await': 'off', 'await-in-loop': 'off', 'unused-async': 'off' },
  },
  {
    // One-off tooling: build files, scripts and benchmarks run alone, with nothing else on the loop.
    files: ['gulpfile.*', 'Gruntfile.*', 'scripts/', 'benchmarks/', 'bench/'],
    rules: { 'blocking-call': 'off', 'sequential-await': 'off', 'await-in-loop': 'off' },
  },
];

/** An override entry as resolved: where it comes from and its compiled globs. */
export interface ResolvedOverride extends OverrideEntry {
  /** The configuration file that holds it, or 'default' for the built-in ones. */
  from: string;
  /** Index among all the overrides of the configuration (built-in first). */
  index: number;
  globs: readonly GlobRule[];
}

/** The project file's contents, validated. */
export interface ConfigData {
  rules?: Record<string, SeveritySetting>;
  overrides?: { files: string[]; rules: Record<string, SeveritySetting> }[];
  ignorePatterns?: string[];
  maxFileSize?: number;
  'blocking-calls'?: (string | BlockingCallEntry)[];
  coroutines?: string[];
  concurrency?: ConcurrencyConfig;
  'fire-and-forget'?: string[];
}

/** Receivers known safe for concurrent use, or stateful, for sequential-await and await-in-loop. */
export interface ConcurrencyConfig {
  safe?: string[];
  stateful?: string[];
}

export interface ResolvedConfig {
  /** The file the project settings came from, if any. */
  source?: string;
  /** Folder that relative `ignorePatterns` are relative to. */
  baseDir?: string;
  /** Folder that `overrides` globs are relative to: baseDir, or the front door's default root. */
  root: string;
  /** Every override entry, built-in first, each applying to the files its globs match. */
  overrides: readonly ResolvedOverride[];
  /** For a file's configuration (forFile): the overrides that matched it, in order. */
  matchedOverrides?: readonly ResolvedOverride[];
  /** Severity per rule (for a file's configuration, after its overrides). */
  severities: ReadonlyMap<string, SeverityOrOff>;
  ignorePatterns: readonly string[];
  maxFileSize: number;
  blockingCalls: readonly BlockingCallEntry[];
  coroutines: readonly string[];
  concurrency?: ConcurrencyConfig;
  /** (TypeScript) qualified names of functions whose promises may be dropped: unawaited leaves them. */
  fireAndForget: readonly string[];
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'ConfigError';
  }
}

/** What the resolver needs from a file system: a read that answers undefined for a missing file. */
export interface ConfigFileSystem {
  readFile(file: string): string | undefined;
}

let validator: ValidateFunction | undefined;
function validate(data: unknown): ErrorObject[] {
  // A require, not an import: a run with no configuration file never loads the validator.
  if (!validator) {
    const { default: Ajv } = require('ajv') as typeof import('ajv');
    validator = new Ajv({ allErrors: true, strict: false }).compile(schema);
  }
  return validator(data) ? [] : (validator.errors ?? []);
}

function describe(err: ErrorObject): string {
  const where = err.instancePath || '/';
  if (err.keyword === 'additionalProperties') {
    const key = String((err.params as { additionalProperty: string }).additionalProperty);
    if (/^(\/overrides\/\d+)?\/rules$/.test(err.instancePath)) return unknownRuleMessage(key);
    const known = Object.keys(schema.properties).filter((k) => k !== '$schema');
    return where === '/' ? `unknown key '${key}'; valid keys: ${known.join(', ')}` : `unknown key '${key}' in ${where}`;
  }
  if (err.keyword === 'enum') {
    const allowed = (err.params as { allowedValues: unknown[] }).allowedValues;
    return `${where}: must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`;
  }
  return `${where}: ${err.message ?? 'invalid'}`;
}

/** Validates parsed configuration data, throwing a ConfigError that names the file and the problem. */
export function validateConfig(data: unknown, file: string): ConfigData {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ConfigError(file, 'configuration must be an object');
  }
  const errors = validate(data);
  if (errors.length > 0) {
    // oneOf failures repeat themselves; keep the distinct, most specific messages.
    const messages = [...new Set(errors.filter((e) => e.keyword !== 'oneOf').map(describe))];
    throw new ConfigError(file, messages.join('; '));
  }
  return data as ConfigData;
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(stripBom(text));
  } catch (e) {
    throw new ConfigError(file, `invalid JSON: ${(e as Error).message}`);
  }
}

function parseTomlText(text: string, file: string): Record<string, unknown> {
  try {
    return parseToml(stripBom(text)) as Record<string, unknown>;
  } catch (e) {
    throw new ConfigError(file, `invalid TOML: ${(e as Error).message.split('\n')[0]}`);
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Reads the configuration a folder holds, if any. Throws ConfigError on a broken one. */
export function readConfigInFolder(fs: ConfigFileSystem, dir: string): { file: string; data: ConfigData } | undefined {
  const own = path.join(dir, CONFIG_FILE);
  const ownText = fs.readFile(own);
  if (ownText !== undefined) return { file: own, data: validateConfig(parseJson(ownText, own), own) };

  const pkg = path.join(dir, 'package.json');
  const pkgText = fs.readFile(pkg);
  if (pkgText?.includes('"async-lint"')) {
    const data = packageSettings(parseJson(pkgText, pkg), pkg);
    if (data) return { file: pkg, data };
  }

  const pyproject = path.join(dir, 'pyproject.toml');
  const pyText = fs.readFile(pyproject);
  if (pyText?.includes('async-lint')) {
    const data = toolSettings(parseTomlText(pyText, pyproject), pyproject);
    if (data) return { file: pyproject, data };
  }
  return undefined;
}

/**
 * A file named with `--config`: an async-lint.json-style JSON file (any name), a package.json
 * (its "async-lint" key), or a TOML file (its [tool.async-lint] table, or the whole file when it
 * has no such table). A package.json or pyproject.toml without async-lint settings is an error:
 * the user asked for settings that are not there.
 */
export function readExplicitConfig(file: string, text: string): ConfigData {
  if (file.toLowerCase().endsWith('.toml')) {
    const parsed = parseTomlText(text, file);
    const data = toolSettings(parsed, file);
    if (data) return data;
    if (path.basename(file) === 'pyproject.toml') throw new ConfigError(file, 'no [tool.async-lint] table');
    return validateConfig(parsed, file);
  }
  const parsed = parseJson(text, file);
  if (path.basename(file) === 'package.json') {
    const data = packageSettings(parsed, file);
    if (!data) throw new ConfigError(file, 'no "async-lint" key');
    return data;
  }
  return validateConfig(parsed, file);
}

/** The settings under a package.json's "async-lint" key, validated; undefined when it has none. */
function packageSettings(parsed: unknown, file: string): ConfigData | undefined {
  if (!parsed || typeof parsed !== 'object' || !('async-lint' in parsed)) return undefined;
  return validateConfig((parsed as Record<string, unknown>)['async-lint'], `${file} ("async-lint")`);
}

/** The settings of a TOML file's [tool.async-lint] table, validated; undefined when it has none. */
function toolSettings(parsed: Record<string, unknown>, file: string): ConfigData | undefined {
  const tool = parsed.tool as Record<string, unknown> | undefined;
  if (!tool || typeof tool !== 'object' || !('async-lint' in tool)) return undefined;
  return validateConfig(tool['async-lint'], `${file} ([tool.async-lint])`);
}

/** Parses `--rule id=severity` style settings; throws Error with a clear message. */
export function parseRuleSetting(setting: string): [string, SeverityOrOff] {
  const m = /^([^=]+)=(.*)$/.exec(setting);
  if (!m) throw new Error(`--rule expects id=severity, got '${setting}'`);
  const id = m[1].trim();
  const sev = m[2].trim();
  if (!RULE_IDS.includes(id)) throw new Error(unknownRuleMessage(id));
  const normalized = normalizeSeverity(sev);
  if (!normalized)
    throw new Error(
      `invalid severity '${sev}' for ${id}; use off, hint, info, warning (or warn) or error, or ESLint's 0, 1, 2`,
    );
  return [id, normalized];
}

export function isSeverityOrOff(s: string): s is SeverityOrOff {
  return s === 'off' || s === 'hint' || s === 'info' || s === 'warning' || s === 'error';
}

export interface ConfigResolverOptions {
  /** `--config FILE`: use this file for every path, no search. */
  explicitFile?: string;
  /** Editor settings: below the project file. */
  defaults?: Partial<ConfigData>;
  /** Command-line `--rule`: above the project file and every override. */
  ruleOverrides?: Record<string, SeverityOrOff>;
  /**
   * The lint root of a folder no configuration file governs (the CLI: the current folder; the
   * server: the workspace folder). Default: the process's current folder.
   */
  defaultRoot?: (dir: string) => string;
}

export class ConfigResolver {
  /** folder -> the configuration file governing it (null: none up to the file system's root). */
  private readonly byDir = new Map<string, { file: string; data: ConfigData } | null>();
  /** configuration file (or `\0` + root when there is none) -> its resolved configuration. */
  private readonly bySource = new Map<string, ResolvedConfig>();
  /** A configuration's per-file variants, by the overrides matched. */
  private readonly variants = new WeakMap<ResolvedConfig, Map<string, ResolvedConfig>>();
  private explicit: ResolvedConfig | undefined;

  constructor(
    private readonly fs: ConfigFileSystem,
    private readonly options: ConfigResolverOptions = {},
  ) {
    if (options.explicitFile) {
      const file = path.resolve(options.explicitFile);
      const text = fs.readFile(file);
      if (text === undefined) throw new ConfigError(file, 'cannot read the file');
      this.explicit = this.resolve(readExplicitConfig(file, text), file, path.dirname(file));
    }
  }

  /** The configuration for a file, its overrides applied. Throws ConfigError if the governing file is broken. */
  forFile(file: string): ResolvedConfig {
    const abs = path.resolve(file);
    return this.applyOverrides(this.explicit ?? this.forDir(path.dirname(abs)), abs);
  }

  /** The configuration governing a folder's files, before any file's overrides. */
  forDir(dir: string): ResolvedConfig {
    if (this.explicit) return this.explicit;
    // Walk up until a cached folder, a config file or the root; then cache every folder passed.
    const passed: string[] = [];
    let found: { file: string; data: ConfigData } | null | undefined;
    for (let d = dir; ; ) {
      found = this.byDir.get(d);
      if (found !== undefined) break;
      passed.push(d);
      found = readConfigInFolder(this.fs, d) ?? null;
      if (found) break;
      const parent = path.dirname(d);
      if (parent === d) break;
      d = parent;
    }
    for (const d of passed) this.byDir.set(d, found);
    const root = found ? path.dirname(found.file) : path.resolve(this.options.defaultRoot?.(dir) ?? process.cwd());
    const key = found ? found.file : `\0${root}`;
    let resolved = this.bySource.get(key);
    if (!resolved) {
      resolved = found ? this.resolve(found.data, found.file, root) : this.resolve({}, undefined, root);
      this.bySource.set(key, resolved);
    }
    return resolved;
  }

  /**
   * A folder's configuration for one file in it: the severities of the overrides matching the file
   * (relative to the configuration's root) over its `rules`, the command line over them. Files
   * matching the same overrides share one object.
   */
  applyOverrides(config: ResolvedConfig, file: string): ResolvedConfig {
    const rel = relativeInside(config.root, path.resolve(file));
    if (rel === undefined) return config;
    const matched = config.overrides.filter((o) => gitignoreTest(o.globs, rel, false) === 'ignored');
    if (matched.length === 0) return config;
    let variants = this.variants.get(config);
    if (!variants) {
      variants = new Map();
      this.variants.set(config, variants);
    }
    const key = matched.map((o) => o.index).join(',');
    let variant = variants.get(key);
    if (!variant) {
      const severities = new Map(config.severities);
      for (const layer of [...matched.map((o) => o.rules), this.options.ruleOverrides]) {
        if (!layer) continue;
        for (const [id, sev] of Object.entries(layer)) if (RULE_IDS.includes(id)) severities.set(id, sev);
      }
      variant = { ...config, severities, matchedOverrides: matched };
      variants.set(key, variant);
    }
    return variant;
  }

  /** Forget cached results (a config file changed). */
  clear(): void {
    this.byDir.clear();
    this.bySource.clear();
  }

  private resolve(data: ConfigData, source: string | undefined, root: string): ResolvedConfig {
    const defaults = this.options.defaults ?? {};
    const severities = new Map<string, SeverityOrOff>();
    for (const r of RULES) severities.set(r.id, r.defaultSeverity);
    for (const layer of [normalizeRules(defaults.rules), normalizeRules(data.rules), this.options.ruleOverrides]) {
      if (!layer) continue;
      for (const [id, sev] of Object.entries(layer)) if (RULE_IDS.includes(id)) severities.set(id, sev);
    }
    const toEntry = (e: string | BlockingCallEntry): BlockingCallEntry => (typeof e === 'string' ? { name: e } : e);
    return {
      source,
      baseDir: source ? path.dirname(source.replace(/ \(.*\)$/, '')) : undefined,
      root,
      overrides: resolveOverrides(data.overrides ?? [], source),
      severities,
      ignorePatterns: [...(defaults.ignorePatterns ?? []), ...(data.ignorePatterns ?? [])],
      maxFileSize: data.maxFileSize ?? defaults.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
      blockingCalls: [...(defaults['blocking-calls'] ?? []), ...(data['blocking-calls'] ?? [])].map(toEntry),
      coroutines: [...(defaults.coroutines ?? []), ...(data.coroutines ?? [])],
      fireAndForget: [...(defaults['fire-and-forget'] ?? []), ...(data['fire-and-forget'] ?? [])],
      concurrency: {
        safe: [...(defaults.concurrency?.safe ?? []), ...(data.concurrency?.safe ?? [])],
        stateful: [...(defaults.concurrency?.stateful ?? []), ...(data.concurrency?.stateful ?? [])],
      },
    };
  }
}

/** The built-in overrides, then the project file's, in order, with their globs compiled. */
function resolveOverrides(own: NonNullable<ConfigData['overrides']>, source: string | undefined): ResolvedOverride[] {
  const all = [
    ...DEFAULT_OVERRIDES.map((o) => ({ o, from: 'default' })),
    ...own.map((o) => ({ o: { files: o.files, rules: normalizeRules(o.rules) ?? {} }, from: source ?? 'settings' })),
  ];
  return all.map(({ o, from }, index) => ({
    files: [...o.files],
    rules: { ...o.rules },
    from,
    index,
    globs: compileGlobs(o.files),
  }));
}

/** `file` relative to `root` with forward slashes, or undefined when it is not strictly inside. */
function relativeInside(root: string, file: string): string | undefined {
  const rel = path.relative(root, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}
