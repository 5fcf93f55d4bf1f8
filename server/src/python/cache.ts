// The Python side of the CLI's --cache (engine/linter.ts CacheSupport, cli/cache.ts).
//
// A Python file's analysis reads nothing of other files but through the workspace's answers to a
// few questions (names.ts WorkspaceLookup, and the module's own name and package):
//   locate              this module's name and package (root markers, __init__.py files);
//   lookup(qname)       what a qualified name imported from the workspace is (a module, a
//                       function and whether it is async, a class, a variable);
//   external(qname)     the library name a workspace re-export stands for;
//   classDefines(q, n)  whether a workspace class or one of its bases defines a method;
//   usagesOf(name)      how a name is used in every other file of the run under the same root
//                       (unused-async: an async def awaited, or passed somewhere, elsewhere).
// The analysis is a deterministic function of its text, its configuration and these answers. So
// each question asked and its answer are recorded, and a later run asks the same questions of
// its own workspace (the same files prepared): if every answer is the same, the analysis would
// ask the same questions and find the same, and its result is reused. A changed module changes
// only the answers about it: the files that asked about it are analysed again, the others not.
//
// Answering lookups needs the summaries of the imported modules; they are kept too (by the
// digest of the module's text), so that a run where nothing changed parses no file at all. And
// usagesOf's answers are all decided by the files counted over and their texts: their digest is
// recorded beside them, and when it is the same the counting is skipped.
import path from 'node:path';
import { decodeData, digest, encodeData, stableJson } from '../engine/digest';
import type { CacheSupport } from '../engine/linter';
import type { ModuleSummary, PythonWorkspace, SummaryStore } from './module-index';
import type { WorkspaceLookup } from './names';

/** [question, answer], both JSON texts; the question is [kind, ...arguments]. */
type Answers = [string, string][];

/**
 * The fingerprint of the usage counts (PythonWorkspace.usageFingerprint), recorded with the first
 * usagesOf question. It sorts before every usagesOf question (`"]` before `Of`), so it is checked first.
 */
const USAGES = JSON.stringify(['usages']);

interface StoredSummary {
  text: string;
  packageName: string | null;
  summary: unknown;
}

export class PyCacheSupport implements CacheSupport {
  private recording = false;
  /** Per file analysed: its questions and answers so far. */
  private readonly asked = new Map<string, Map<string, string>>();
  /** Summaries by file: those of the earlier run, replaced by those made or used in this one. */
  private readonly summaries = new Map<string, StoredSummary>();

  constructor(private readonly workspace: PythonWorkspace) {}

  begin(state: unknown): void {
    this.recording = true;
    const stored = (state as { summaries?: unknown } | undefined)?.summaries;
    if (typeof stored === 'object' && stored !== null) {
      for (const [file, s] of Object.entries(stored as Record<string, StoredSummary>)) {
        if (
          typeof s === 'object' &&
          s !== null &&
          typeof s.text === 'string' &&
          (typeof s.packageName === 'string' || s.packageName === null)
        ) {
          this.summaries.set(file, s);
        }
      }
    }
    const summaries = this.summaries;
    const store: SummaryStore = {
      get(file, text, packageName) {
        const s = summaries.get(file);
        if (!s || s.packageName !== (packageName ?? null) || s.text !== digest(text)) return undefined;
        try {
          return decodeData(s.summary) as ModuleSummary;
        } catch {
          return undefined;
        }
      },
      put(file, text, packageName, summary) {
        summaries.set(file, { text: digest(text), packageName: packageName ?? null, summary: encodeData(summary) });
      },
    };
    this.workspace.summaryStore = store;
    this.workspace.fingerprintUsages = true;
  }

  /** Called when a file's analysis starts; its questions are recorded from now on. */
  startFile(file: string): void {
    if (this.recording) this.asked.set(file, new Map());
  }

  /** The module identity and lookups of a file, recording each answer when the cache is on. */
  observed(
    file: string,
    identity: { moduleName: string; packageName: string | undefined },
    lookup: WorkspaceLookup,
  ): WorkspaceLookup {
    const asked = this.asked.get(file);
    if (!asked) return lookup;
    asked.set(JSON.stringify(['locate']), stableJson(identity));
    const note = <T>(question: unknown[], answer: T): T => {
      asked.set(JSON.stringify(question), stableJson(answer ?? null));
      return answer;
    };
    return {
      lookup: (qname) => note(['lookup', qname], lookup.lookup(qname)),
      external: lookup.external && ((qname) => note(['external', qname], lookup.external!(qname))),
      classDefines:
        lookup.classDefines &&
        ((qname, name) => note(['classDefines', qname, name], lookup.classDefines!(qname, name))),
      usagesOf:
        lookup.usagesOf &&
        ((name) => {
          // The files counted over and their texts: when they are the same, so is every answer.
          if (!asked.has(USAGES)) asked.set(USAGES, stableJson(this.workspace.usageFingerprint(file) ?? null));
          return note(['usagesOf', name], lookup.usagesOf!(name));
        }),
    };
  }

  dependencies(file: string): unknown {
    const asked = this.asked.get(path.resolve(file));
    if (!asked) return undefined;
    this.asked.delete(path.resolve(file));
    const answers: Answers = [...asked].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return answers;
  }

  unchanged(file: string, dependencies: unknown): boolean {
    if (!Array.isArray(dependencies)) return false;
    const abs = path.resolve(file);
    let lookup: WorkspaceLookup | undefined;
    /** Whether the usage counts are over the same files and texts (sorted first, see USAGES). */
    let sameUsages = false;
    for (const entry of dependencies) {
      if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string' || typeof entry[1] !== 'string')
        return false;
      let answer: unknown;
      try {
        const [kind, ...args] = JSON.parse(entry[0]) as [string, ...string[]];
        lookup ??= this.workspace.lookupFrom(abs);
        switch (kind) {
          case 'usages':
            sameUsages = stableJson(this.workspace.usageFingerprint(abs) ?? null) === entry[1];
            continue;
          case 'locate': {
            const { moduleName, packageName } = this.workspace.locate(abs);
            answer = { moduleName, packageName };
            break;
          }
          case 'lookup':
            answer = lookup.lookup(args[0]);
            break;
          case 'external':
            answer = lookup.external?.(args[0]);
            break;
          case 'classDefines':
            answer = lookup.classDefines?.(args[0], args[1]);
            break;
          case 'usagesOf':
            if (sameUsages) continue;
            answer = lookup.usagesOf?.(args[0]);
            break;
          default:
            return false;
        }
      } catch {
        return false;
      }
      if (stableJson(answer ?? null) !== entry[1]) return false;
    }
    return true;
  }

  save(): unknown {
    const summaries: Record<string, StoredSummary> = {};
    for (const [file, s] of this.summaries) if (this.workspace.fs.isFile(file)) summaries[file] = s;
    return { summaries };
  }
}
