// A syntax error does not stop the analysis of the rest of the file.
export async function before() {
  return 1;
}

const x = {;

export async function after() {
  return 2;
}

// Every use of the functions above is a direct call.
export function callAll() {
  void before();
  void after();
}
