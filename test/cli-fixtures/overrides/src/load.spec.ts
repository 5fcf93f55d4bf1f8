import fs from 'node:fs';

export async function loadSettings(file: string): Promise<unknown> {
  const text = fs.readFileSync(file, 'utf8');
  await Promise.resolve();
  return JSON.parse(text);
}

declare function save(): Promise<void>;

export function saveLater(): void {
  save();
}
