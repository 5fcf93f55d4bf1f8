export async function generated() {
  return 1;
}
