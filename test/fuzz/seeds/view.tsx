// Fuzz seed (TSX).
import { readFile } from 'node:fs/promises';

declare function useData<T>(f: () => Promise<T>): T | undefined;

export function View(props: { path: string }) {
  const data = useData(async () => readFile(props.path, 'utf8'));
  const onClick = async () => {
    await readFile(props.path);
  };
  return <div onClick={() => { onClick(); }}>{data ?? <span>loading</span>}</div>;
}

export async function render(paths: string[]) {
  const texts: string[] = [];
  for (const p of paths) texts.push(await readFile(p, 'utf8'));
  return <ul>{texts.map((t) => <li key={t}>{t}</li>)}</ul>;
}
