// Applying fixes: edits must not overlap; a fix whose edits overlap an earlier chosen fix waits
// for the next pass. Callers re-analyse between passes and stop when nothing changes or after
// MAX_FIX_PASSES.
import type { Fix, TextEdit } from './types';

export const MAX_FIX_PASSES = 10;

export interface AppliedFixes {
  text: string;
  applied: Fix[];
  /** Fixes left for a later pass because they overlapped one already chosen. */
  deferred: Fix[];
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  // Two insertions at the same point conflict too: their order would be arbitrary.
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return a.start < b.end && b.start < a.end;
}

/** Applies as many of `fixes` as do not overlap, in order given. */
export function applyFixes(text: string, fixes: readonly Fix[]): AppliedFixes {
  const chosen: TextEdit[] = [];
  const applied: Fix[] = [];
  const deferred: Fix[] = [];
  for (const fix of fixes) {
    const valid = fix.edits.every((e) => e.start >= 0 && e.end >= e.start && e.end <= text.length);
    if (!valid) continue;
    if (fix.edits.some((e) => chosen.some((c) => overlaps(c, e)))) {
      deferred.push(fix);
      continue;
    }
    chosen.push(...fix.edits);
    applied.push(fix);
  }
  return { text: applyEdits(text, chosen), applied, deferred };
}

/** Applies non-overlapping edits. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    out += text.slice(pos, e.start) + e.newText;
    pos = e.end;
  }
  return out + text.slice(pos);
}
