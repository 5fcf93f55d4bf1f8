// Entry point of the async-lint command (bundled to dist/cli.js, loaded by bin/async-lint.js).
// The work is in cli/run.ts; this file turns its outcome into output and an exit code.
import { run, UsageError, EXIT_ERROR, type Io } from './cli/run';
import { ConfigError } from './engine/config';

async function main(): Promise<void> {
  // `async-lint | head`: the reader went away; stop quietly instead of crashing on EPIPE.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      process.exit(process.exitCode ?? 0);
    });
  }
  const io: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
  try {
    // exitCode, not exit(): a large report on a pipe must drain before the process ends.
    process.exitCode = await run(process.argv.slice(2), io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`async-lint: ${e.message}\nRun 'async-lint --help' for usage.\n`);
    } else if (e instanceof ConfigError) {
      io.stderr.write(`async-lint: configuration error in ${e.message}\n`);
    } else {
      io.stderr.write(`async-lint: internal error: ${(e as Error).stack ?? e}\n`);
    }
    process.exitCode = EXIT_ERROR;
  }
}

void main();
