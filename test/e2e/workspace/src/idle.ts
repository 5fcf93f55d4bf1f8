export async function idle(): Promise<number> {
  return 1;
}
