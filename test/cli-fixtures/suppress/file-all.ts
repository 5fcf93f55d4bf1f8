// async-lint-disable-file
export async function first() {}
export async function second() {}

// Every use of the functions above is a direct call.
export function callAll() {
  void first();
  void second();
}
