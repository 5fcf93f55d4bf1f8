// @ts-nocheck -- a lint target full of deliberate mistakes, not project code
// Fuzz seed (TypeScript): one file touching every TS rule's patterns, valid or not.
import * as fs from 'node:fs';
import { readFileSync as load, promises as fsp } from 'fs';
import { execSync } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';

interface User {
  id: string;
  name: string;
}
declare function fetchUser(id: string): Promise<User>;
declare function fetchPosts(id: string): Promise<string[]>;
declare const api: { get(id: string): Promise<User>; close(): Promise<void> } | undefined;

export async function handler(id: string): Promise<string> {
  const config = fs.readFileSync('config.json', 'utf8');
  const raw = load(`users/${id}.json`);
  execSync('ls');
  const user = await fetchUser(id);
  const posts = await fetchPosts(id);
  fetchUser(id);
  api?.close();
  void fetchPosts(id);
  fetchPosts(id).then((p) => p.length);
  fetchPosts(id).catch(() => []);
  const unused = fetchUser('x');
  for (const p of posts) {
    await fsp.writeFile(p, config + raw);
  }
  for (const p of posts) {
    await delay(10);
    await fetchUser(p);
  }
  posts.forEach(async (p) => {
    await fetchUser(p);
  });
  const found = posts.filter(async (p) => (await fetchUser(p)).name === user.name);
  while (Date.now() < Date.now() + 10) {}
  return found.join(',');
}

export class Cache {
  private readonly items = new Map<string, User>();
  async get(key: string): Promise<User | undefined> {
    return this.items.get(key);
  }
  async *entries() {
    for (const v of this.items.values()) yield v;
  }
  async load(ids: string[]) {
    const out: User[] = [];
    for (const id of ids) out.push(await fetchUser(id));
    let cursor = ids[0];
    for (let i = 0; i < 3; i++) cursor = (await fetchUser(cursor)).id;
    return out;
  }
}

new Promise(async (resolve) => resolve(await fetchUser('a')));
(async () => {
  await handler('1');
})();
export const arrow = async () => 42;
// async-lint-disable-next-line unawaited
fetchUser('suppressed');
