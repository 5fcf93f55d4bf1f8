// Every TypeScript/JavaScript rule, in the order of server/src/engine/rules.ts.
import type { TsRule } from '../rule';
import { unusedAsync } from './unused-async';

export const TS_RULES: readonly TsRule[] = [unusedAsync];
