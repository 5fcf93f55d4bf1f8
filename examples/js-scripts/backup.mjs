// Nightly backup script (ES module). Scripts are where sync calls creep into async code.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';

const target = process.argv[2] ?? 'backups';

async function archive(dir) {
  await mkdir(target, { recursive: true });
  for (const name of await readdir(dir)) {
    const data = fs.readFileSync(`${dir}/${name}`); // blocking-call
    fs.writeFileSync(`${target}/${name}.gz`, gzipSync(data)); // blocking-call, twice
  }
}

async function snapshotDatabase() {
  // blocking-call: the whole process waits for pg_dump.
  return execFileSync('pg_dump', ['--format=custom', 'orders']);
}

// Top-level await in a module: awaited, so nothing is dropped.
await archive('data');
await snapshotDatabase();
