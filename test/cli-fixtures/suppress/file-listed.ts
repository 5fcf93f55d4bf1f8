/* async-lint-disable-file unused-async, sequential-await */
export async function first() {}
export async function second() {}
