// Every TypeScript/JavaScript rule, in the order of server/src/engine/rules.ts.
import type { TsRule } from '../rule';
import { sequentialAwait } from './sequential-await';
import { unusedAsync } from './unused-async';

export const TS_RULES: readonly TsRule[] = [sequentialAwait, unusedAsync];
