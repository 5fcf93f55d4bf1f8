// Every Python rule, in the order of server/src/engine/rules.ts.
import type { PyRule } from '../rule';

export const PY_RULES: readonly PyRule[] = [];
