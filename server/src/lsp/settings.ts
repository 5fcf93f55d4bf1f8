// Editor settings, asked per resource with `workspace/configuration` (scopeUri) and cached until
// the client says they changed. Values are checked here: a wrong type falls back to the default
// rather than reaching the engine.
import { normalizeSeverity } from '../engine/config';
import { RULE_IDS } from '../engine/rules';
import type { SeverityOrOff } from '../engine/types';
import { DEFAULT_SETTINGS, type RunMode, type Settings } from '../protocol';

export function normalizeSettings(raw: unknown): Settings {
  const s = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const rules: Record<string, SeverityOrOff> = {};
  if (s.rules && typeof s.rules === 'object') {
    for (const [id, sev] of Object.entries(s.rules as Record<string, unknown>)) {
      // ESLint's spellings too, as in configuration files: `warn`, and 0 / 1 / 2 in settings.json.
      const normalized =
        typeof sev === 'string' || typeof sev === 'number' ? normalizeSeverity(String(sev)) : undefined;
      if (RULE_IDS.includes(id) && normalized) rules[id] = normalized;
    }
  }
  const run: RunMode = s.run === 'onSave' ? 'onSave' : 'onType';
  const exclude = Array.isArray(s.exclude)
    ? s.exclude.filter((e): e is string => typeof e === 'string' && e.length > 0)
    : [];
  return {
    enable: typeof s.enable === 'boolean' ? s.enable : DEFAULT_SETTINGS.enable,
    rules,
    run,
    exclude,
    timeBudget:
      typeof s.timeBudget === 'number' && Number.isFinite(s.timeBudget) && s.timeBudget >= 1
        ? Math.round(s.timeBudget)
        : DEFAULT_SETTINGS.timeBudget,
  };
}

/** Asks the client for one resource's settings; undefined when the client cannot answer. */
export type SettingsFetcher = (scopeUri: string) => Promise<unknown>;

export class SettingsCache {
  private readonly byUri = new Map<string, Promise<Settings>>();
  /** Settings pushed with didChangeConfiguration, for clients without workspace/configuration. */
  private global: Settings = DEFAULT_SETTINGS;

  constructor(private readonly fetch: SettingsFetcher | undefined) {}

  get(uri: string): Promise<Settings> {
    if (!this.fetch) return Promise.resolve(this.global);
    let s = this.byUri.get(uri);
    if (!s) {
      s = this.fetch(uri).then(
        (raw) => (raw === null || raw === undefined ? this.global : normalizeSettings(raw)),
        () => this.global,
      );
      this.byUri.set(uri, s);
    }
    return s;
  }

  /** didChangeConfiguration: forget everything; `pushed` is the `asyncLint` section if the client sent one. */
  changed(pushed: unknown): void {
    this.byUri.clear();
    if (pushed && typeof pushed === 'object') this.global = normalizeSettings(pushed);
  }

  forget(uri: string): void {
    this.byUri.delete(uri);
  }
}
