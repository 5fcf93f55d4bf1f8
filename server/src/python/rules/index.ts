// Every Python rule, in the order of server/src/engine/rules.ts.
import type { PyRule } from '../rule';
import { asyncCallback } from './async-callback';
import { awaitInLoop } from './await-in-loop';
import { blockingCall } from './blocking-call';
import { clientPerRequest } from './client-per-request';
import { danglingTask } from './dangling-task';
import { nestedEventLoop } from './nested-event-loop';
import { sequentialAwait } from './sequential-await';
import { unawaited } from './unawaited';
import { unusedAsync } from './unused-async';

export const PY_RULES: readonly PyRule[] = [
  blockingCall,
  unawaited,
  sequentialAwait,
  awaitInLoop,
  asyncCallback,
  danglingTask,
  nestedEventLoop,
  clientPerRequest,
  unusedAsync,
];
