// Helpers a CLI script uses. Plain .js is linted too.
const { setTimeout: sleep } = require('node:timers/promises');

/** Retries with a delay between attempts: the await in the loop is throttling on purpose. */
async function withRetry(attempts, fn) {
  for (let i = 1; i <= attempts; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i === attempts) throw e;
      await sleep(100 * 2 ** i);
    }
  }
  return undefined;
}

/**
 * Nothing awaits here, but it is exported in `module.exports`: a value whose callers may await
 * it, so unused-async leaves it alone.
 */
async function parseArgs(argv) {
  return { verbose: argv.includes('--verbose'), dryRun: argv.includes('--dry-run') };
}

/** unawaited: the promise of each retry is dropped inside a sync event handler. */
function onSignal(process, cleanup) {
  process.once('SIGTERM', () => {
    withRetry(3, cleanup);
  });
}

module.exports = { withRetry, parseArgs, onSignal };
