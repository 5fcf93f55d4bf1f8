// The shape of a rule's metadata, declared once per rule in server/src/rules-meta/<id>.ts (like
// typescript-eslint's `createRule({ name, meta, create })`): the language implementations
// (server/src/<language>/rules/<id>.ts) import it, and the registry (./index.ts, generated) lists
// them. The languages a rule runs in are not declared: they are the language folders that have a
// file of its id. `npm run generate` writes everything derived from this (see scripts/generate.ts).
import type { Severity } from '../engine/types';

export type FixKind = 'safe' | 'suggestion' | 'none';

export interface RuleDefinition {
  /** Kebab-case; the file name of the rule's metadata, implementations, fixtures and page. */
  readonly id: string;
  /** One sentence, shown in `--help`, the README, the JSON schema and the settings UI. */
  readonly description: string;
  readonly defaultSeverity: Severity;
  /** The strongest fix the rule offers: `safe` fixes are applied by --fix and fix-all. */
  readonly fix: FixKind;
}

export function defineRule<const T extends RuleDefinition>(definition: T): T {
  return definition;
}
