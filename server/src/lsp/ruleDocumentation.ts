// "Show documentation for <rule>" for any LSP client: the page installed beside the server
// (docs/rules/<id>.md), opened by the client with `window/showDocument` (LSP 3.16; Neovim 0.8 and
// later, Helix, Emacs' lsp-mode), or, for a client that cannot show documents (Neovim 0.7), named
// in a message with the rule's description so that it can be opened by hand. Offline either way;
// the web address only when the page is missing from this installation.
import { ResponseError, type ShowDocumentParams, type ShowDocumentResult } from 'vscode-languageserver/node';
import { ruleDocPath } from '../engine/rule-docs';
import { docsUrl, ruleMeta, RULE_IDS } from '../engine/rules';
import type { ShowRuleDocumentationResult } from '../protocol';
import { pathToUri } from './workspace';

export interface DocumentShower {
  /** The client announced `window.showDocument.support`. */
  canShowDocument: boolean;
  showDocument(params: ShowDocumentParams): Promise<ShowDocumentResult>;
  showMessage(text: string): void;
}

export async function showRuleDocumentation(
  args: readonly unknown[] | undefined,
  client: DocumentShower,
): Promise<ShowRuleDocumentationResult> {
  const id = args?.[0];
  if (typeof id !== 'string' || !RULE_IDS.includes(id)) {
    throw new ResponseError(
      -32602 /* InvalidParams */,
      `expected a rule id (${RULE_IDS.join(', ')}), got ${JSON.stringify(id)}`,
    );
  }
  const page = ruleDocPath(id);
  const uri = page ? pathToUri(page) : docsUrl(id);
  if (client.canShowDocument) {
    const shown = await client.showDocument({ uri, external: page === undefined, takeFocus: true }).then(
      (r) => r.success,
      () => false,
    );
    if (shown) return { uri, shown: true };
  }
  client.showMessage(`async-lint ${id}: ${ruleMeta(id)!.description} Documentation: ${page ?? uri}`);
  return { uri, shown: false };
}
