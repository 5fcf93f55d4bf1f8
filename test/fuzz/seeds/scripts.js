// Fuzz seed (JavaScript, CommonJS).
const fs = require('fs');
const { promisify } = require('util');
const zlib = require('node:zlib');

async function readAll(files) {
  const out = [];
  for (const f of files) {
    out.push(fs.readFileSync(f));
    out.push(zlib.gunzipSync(fs.readFileSync(f + '.gz')));
  }
  const a = await fs.promises.readFile('a');
  const b = await fs.promises.readFile('b');
  return [a, b, ...out];
}

async function main() {
  readAll(['x']);
  setInterval(() => {
    readAll(['y']);
  }, 1000);
  [1, 2, 3].some(async (n) => n > 1);
  const items = [3, 1, 2];
  items.sort(async (a, b) => a - b);
  items.map(async (x) => x * 2);
  await Promise.all(items.map(async (x) => readAll([String(x)])));
}

main();
module.exports = { readAll, sleep: promisify(setTimeout) };
