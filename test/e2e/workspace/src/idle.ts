// async-lint-disable-next-line unawaited -- idle work is fire-and-forget
export async function idle(): Promise<number> {
  return 1;
}

export async function tick(): Promise<void> {
  await idle();
}
