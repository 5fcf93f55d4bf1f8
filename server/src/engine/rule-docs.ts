// Where the rule pages are on this machine: docs/rules/<id>.md, shipped beside dist/ in the npm
// package and the VS Code extension (.vscodeignore keeps docs/rules/*.md), or in a checkout. The
// CLI's `async-lint rule ID` prints one; the language server links findings to them and opens them.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { docsUrl, RULE_IDS } from './rules';

let found: string | null | undefined;

/**
 * The folder holding the rule pages: the first `docs/rules` with a page of a known rule, from the
 * running bundle's folder (dist/, or server/src/engine from the sources) up. Looked for once.
 */
export function ruleDocsDir(): string | undefined {
  if (found === undefined) {
    found = null;
    for (let dir = __dirname, i = 0; i < 5; i++, dir = path.dirname(dir)) {
      const candidate = path.join(dir, 'docs', 'rules');
      if (fs.existsSync(path.join(candidate, `${RULE_IDS[0]}.md`))) {
        found = candidate;
        break;
      }
    }
  }
  return found ?? undefined;
}

/** The page of a known rule on this machine, if it is there. */
export function ruleDocPath(id: string): string | undefined {
  if (!RULE_IDS.includes(id)) return undefined;
  const dir = ruleDocsDir();
  const page = dir && path.join(dir, `${id}.md`);
  return page && fs.existsSync(page) ? page : undefined;
}

/** A link to a rule's page: the installed page (a file: URI), read offline; the web page when it is missing. */
export function ruleDocLink(id: string): string {
  const page = ruleDocPath(id);
  return page ? pathToFileURL(page).href : docsUrl(id);
}
