// The rule table: one row per rule id, shared by both languages. Each language backend has one
// implementation file per rule it supports (server/src/<language>/rules/<id>.ts); a meta-test
// checks that every row here has those files and a page in docs/rules/.
import type { Language, Severity } from './types';

export const DOCS_BASE_URL = 'https://github.com/async-lint/async-lint/blob/main/docs/rules/';

export type FixKind = 'safe' | 'suggestion' | 'none';

export interface RuleMeta {
  id: string;
  /** One sentence, shown in `--help`, the README and the settings UI. */
  description: string;
  languages: readonly Language[];
  defaultSeverity: Severity;
  /** The strongest fix the rule offers: `safe` fixes are applied by --fix and fix-all. */
  fix: FixKind;
}

export const RULES: readonly RuleMeta[] = [
  {
    id: 'blocking-call',
    description: 'A blocking call (sync I/O, sleep, busy-wait) inside an async function stalls the event loop.',
    languages: ['typescript', 'python'],
    defaultSeverity: 'warning',
    fix: 'suggestion',
  },
  {
    id: 'unawaited',
    description: 'A promise or coroutine is created and dropped: never awaited, returned, stored or handled.',
    languages: ['typescript', 'python'],
    defaultSeverity: 'warning',
    fix: 'suggestion',
  },
  {
    id: 'sequential-await',
    description: 'Consecutive independent awaits run one after another; they could run concurrently.',
    languages: ['typescript', 'python'],
    defaultSeverity: 'info',
    fix: 'suggestion',
  },
  {
    id: 'await-in-loop',
    description: 'An await inside a loop whose iterations do not depend on each other serializes the work.',
    languages: ['typescript', 'python'],
    defaultSeverity: 'info',
    fix: 'suggestion',
  },
  {
    id: 'async-callback',
    description: 'An async function is passed where a synchronous callback is expected; its promise is ignored.',
    languages: ['typescript', 'python'],
    defaultSeverity: 'warning',
    fix: 'suggestion',
  },
  {
    id: 'dangling-task',
    description: 'A task is created and no reference is kept: it can be garbage-collected before it finishes.',
    languages: ['python'],
    defaultSeverity: 'warning',
    fix: 'suggestion',
  },
  {
    id: 'nested-event-loop',
    description: 'asyncio.run or run_until_complete inside a coroutine: the event loop is already running.',
    languages: ['python'],
    defaultSeverity: 'error',
    fix: 'suggestion',
  },
  {
    id: 'client-per-request',
    description: 'A client session is created per request; sessions are meant to be reused.',
    languages: ['python'],
    defaultSeverity: 'info',
    fix: 'none',
  },
  {
    id: 'unused-async',
    description: 'An async function that never awaits: the async keyword only wraps the result in a promise.',
    languages: ['typescript', 'python'],
    defaultSeverity: 'hint',
    fix: 'none',
  },
];

export const RULE_IDS: readonly string[] = RULES.map((r) => r.id);

const byId = new Map(RULES.map((r) => [r.id, r]));

export function ruleMeta(id: string): RuleMeta | undefined {
  return byId.get(id);
}

export function docsUrl(id: string): string {
  return `${DOCS_BASE_URL}${id}.md`;
}

/** "unknown rule 'x'; valid rules: a, b, c" */
export function unknownRuleMessage(id: string): string {
  return `unknown rule '${id}'; valid rules: ${RULE_IDS.join(', ')}`;
}
