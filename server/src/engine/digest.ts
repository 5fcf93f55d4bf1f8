// Digests and a stable JSON for the CLI's cache (cli/cache.ts) and the backends' dependency
// records: the same data gives the same text whatever order its keys were set in.
import crypto from 'node:crypto';

/** The SHA-256 of a text (its UTF-8 bytes) or of bytes, in base64url (43 characters). */
export function digest(data: string | Uint8Array): string {
  return crypto.createHash('sha256').update(data).digest('base64url');
}

/**
 * JSON with object keys sorted, Maps as sorted [key, value] pairs, Sets as sorted arrays;
 * functions and undefined left out as JSON.stringify does. For digests of configuration.
 */
export function stableJson(value: unknown): string {
  return JSON.stringify(normalize(value, 0));
}

function normalize(value: unknown, depth: number): unknown {
  if (depth > 64) throw new Error('stableJson: nested too deeply');
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? undefined : value;
  if (value instanceof Map) {
    return { $map: [...value].map(([k, v]) => [normalize(k, depth + 1), normalize(v, depth + 1)]).sort(compareJson) };
  }
  if (value instanceof Set) return { $set: [...value].map((v) => normalize(v, depth + 1)).sort(compareJson) };
  if (Array.isArray(value)) return value.map((v) => normalize(v, depth + 1) ?? null);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = normalize((value as Record<string, unknown>)[key], depth + 1);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

function compareJson(a: unknown, b: unknown): number {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Maps and Sets to JSON and back, exactly (unlike stableJson, order is kept): for data a cache
 * stores and reads back as it was (module summaries).
 */
export function encodeData(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Map) return { $map: [...value].map(([k, v]) => [encodeData(k), encodeData(v)]) };
  if (value instanceof Set) return { $set: [...value].map(encodeData) };
  if (Array.isArray(value)) return value.map(encodeData);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = encodeData(v);
  return out;
}

export function decodeData(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(decodeData);
  const o = value as Record<string, unknown>;
  if (Array.isArray(o.$map) && Object.keys(o).length === 1)
    return new Map((o.$map as [unknown, unknown][]).map(([k, v]) => [decodeData(k), decodeData(v)]));
  if (Array.isArray(o.$set) && Object.keys(o).length === 1) return new Set((o.$set as unknown[]).map(decodeData));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = decodeData(v);
  return out;
}
