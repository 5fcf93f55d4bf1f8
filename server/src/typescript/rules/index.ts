// Every TypeScript/JavaScript rule, in the order of server/src/engine/rules.ts.
import type { TsRule } from '../rule';
import { blockingCall } from './blocking-call';
import { asyncCallback } from './async-callback';
import { awaitInLoop } from './await-in-loop';
import { sequentialAwait } from './sequential-await';
import { unawaited } from './unawaited';
import { unusedAsync } from './unused-async';

export const TS_RULES: readonly TsRule[] = [blockingCall, unawaited, sequentialAwait, awaitInLoop, asyncCallback, unusedAsync];
