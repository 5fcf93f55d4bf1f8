// `async-lint merge-sarif FILE...`: the SARIF logs of the parts of a --shard matrix as the one log
// a single run would have written (formatters/sarif.ts): one run, the same tool and rules, every
// part's results and notifications, successful only if every part was. Results are ordered by
// file, position and rule, so the merged log does not depend on the order of the parts.
import fs from 'node:fs';

interface SarifRun {
  tool: { driver: { name: string; version?: string; rules?: unknown[] } };
  originalUriBaseIds?: unknown;
  invocations?: { executionSuccessful: boolean; toolExecutionNotifications?: unknown[] }[];
  results?: SarifResult[];
}

interface SarifResult {
  ruleId?: string;
  locations?: {
    physicalLocation?: {
      artifactLocation?: { uri?: string };
      region?: { startLine?: number; startColumn?: number; endLine?: number; endColumn?: number };
    };
  }[];
}

interface SarifLog {
  $schema?: string;
  version: string;
  runs: SarifRun[];
}

/** Merges async-lint SARIF texts (named for messages); throws with a message on anything else. */
export function mergeSarif(inputs: readonly { name: string; text: string }[]): string {
  if (inputs.length === 0)
    throw new Error('merge-sarif expects the SARIF files of the parts: async-lint merge-sarif FILE...');
  let base: SarifLog | undefined;
  let run: SarifRun | undefined;
  const results: SarifResult[] = [];
  const notifications: unknown[] = [];
  let successful = true;
  for (const { name, text } of inputs) {
    let log: SarifLog;
    try {
      log = JSON.parse(text) as SarifLog;
    } catch (e) {
      throw new Error(`${name}: not JSON (${(e as Error).message})`);
    }
    const only = Array.isArray(log?.runs) && log.runs.length === 1 ? log.runs[0] : undefined;
    if (log?.version !== '2.1.0' || only?.tool?.driver?.name !== 'async-lint')
      throw new Error(`${name}: not a SARIF 2.1.0 log of one async-lint run`);
    if (!run) {
      base = log;
      run = only;
    } else {
      if (only.tool.driver.version !== run.tool.driver.version)
        throw new Error(
          `${name}: written by async-lint ${only.tool.driver.version}, the first log by ${run.tool.driver.version}: lint every part with one version`,
        );
      if (JSON.stringify(only.originalUriBaseIds) !== JSON.stringify(run.originalUriBaseIds))
        throw new Error(`${name}: its paths are relative to another folder than the first log's (originalUriBaseIds)`);
    }
    results.push(...(only.results ?? []));
    for (const inv of only.invocations ?? []) {
      successful &&= inv.executionSuccessful !== false;
      notifications.push(...(inv.toolExecutionNotifications ?? []));
    }
  }
  results.sort(compareResults);
  const merged: SarifLog = {
    ...base!,
    runs: [
      {
        ...run!,
        invocations: [{ executionSuccessful: successful, toolExecutionNotifications: notifications }],
        results,
      },
    ],
  };
  return JSON.stringify(merged, null, 2);
}

function compareResults(a: SarifResult, b: SarifResult): number {
  const ka = sortKey(a);
  const kb = sortKey(b);
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] < kb[i]) return -1;
    if (ka[i] > kb[i]) return 1;
  }
  return 0;
}

function sortKey(r: SarifResult): (string | number)[] {
  const p = r.locations?.[0]?.physicalLocation;
  const g = p?.region;
  return [p?.artifactLocation?.uri ?? '', g?.startLine ?? 0, g?.startColumn ?? 0, r.ruleId ?? ''];
}

/** Reads the files named in `args`; the merged log is written by the caller. */
export function readSarifInputs(args: readonly string[]): { name: string; text: string }[] {
  return args.map((name) => {
    try {
      return { name, text: fs.readFileSync(name, 'utf8') };
    } catch (e) {
      throw new Error(`${name}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  });
}
