// Preloaded (NODE_OPTIONS=--require) into every Node process a benchmark spawns: on exit, appends
// the process's peak resident set size to the file named by BENCH_RSS_OUT. Worker threads share
// their process's figure, so only the main thread writes.
'use strict';
const fs = require('node:fs');
const { isMainThread } = require('node:worker_threads');

const out = process.env.BENCH_RSS_OUT;
if (out && isMainThread) {
  process.on('exit', () => {
    try {
      const { maxRSS } = process.resourceUsage();
      fs.appendFileSync(out, `${JSON.stringify({ pid: process.pid, ppid: process.ppid, maxRssKb: maxRSS })}\n`);
    } catch {
      // nothing to report with
    }
  });
}
