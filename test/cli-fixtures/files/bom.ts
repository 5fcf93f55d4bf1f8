export async function withBom() {
  return 1;
}
