// async-lint-disable-file blocking-call
export async function first() {} // expect: unused-async

// Every use of the functions above is a direct call.
export function callAll() {
  void first();
}
