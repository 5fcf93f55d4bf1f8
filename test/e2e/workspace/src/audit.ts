async function log(line: string): Promise<void> {
  await Promise.resolve();
  console.log(line);
}

export async function audit(): Promise<void> {
  log('started');
  log('finished');
}
