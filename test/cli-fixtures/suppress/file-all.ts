// async-lint-disable-file
export async function first() {}
export async function second() {}
