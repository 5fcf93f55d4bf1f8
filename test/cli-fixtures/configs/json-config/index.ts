export async function noAwait() {
  return 1;
}

// Every use of the functions above is a direct call.
export function callAll() {
  void noAwait();
}
