export async function snapshot() {
  return 1;
}
