export async function noAwait() {
  return 1;
}
