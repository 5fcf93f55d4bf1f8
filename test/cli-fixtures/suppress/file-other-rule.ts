// async-lint-disable-file blocking-call
export async function first() {} // expect: unused-async
