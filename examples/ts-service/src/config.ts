// Reading configuration. A synchronous read is fine at start-up, before the server listens; inside
// an async request path it stalls every other request while the disk answers.
import fs from 'node:fs';
import { readFile } from 'node:fs/promises';

export interface Settings {
  port: number;
  mailFrom: string;
  templatesDir: string;
}

// Module top level: runs once, before anything is waiting. Not flagged.
export const defaults: Settings = JSON.parse(fs.readFileSync(new URL('../defaults.json', import.meta.url), 'utf8'));

// blocking-call twice. (unused-async also notes that nothing here awaits yet: `--fix` turns the
// read into `await fs.promises.readFile(...)`, and that note goes away with it.)
export async function loadSettings(file: string): Promise<Settings> {
  if (!fs.existsSync(file)) return defaults;
  const text = fs.readFileSync(file, 'utf8');
  return { ...defaults, ...JSON.parse(text) };
}

// The non-blocking way: nothing to report. (No `async` needed to return a promise.)
export function loadTemplate(settings: Settings, name: string): Promise<string> {
  return readFile(`${settings.templatesDir}/${name}.txt`, 'utf8');
}

export async function loadTemplates(settings: Settings, names: string[]): Promise<string[]> {
  return await Promise.all(names.map((name) => loadTemplate(settings, name)));
}
