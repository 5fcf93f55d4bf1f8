// Every Python rule, in the order of server/src/engine/rules.ts.
import type { PyRule } from '../rule';
import { asyncCallback } from './async-callback';
import { awaitInLoop } from './await-in-loop';
import { clientPerRequest } from './client-per-request';
import { sequentialAwait } from './sequential-await';
import { unusedAsync } from './unused-async';

export const PY_RULES: readonly PyRule[] = [
  sequentialAwait,
  awaitInLoop,
  asyncCallback,
  clientPerRequest,
  unusedAsync,
];
