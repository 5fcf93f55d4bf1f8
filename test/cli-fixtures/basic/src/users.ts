// Two async functions that never await (unused-async), and code that is fine.
export interface User {
  id: string;
  name: string;
}

const cache = new Map<string, User>();

export async function cachedUser(id: string): Promise<User | undefined> {
  return cache.get(id);
}

export async function loadUser(id: string, fetchUser: (id: string) => Promise<User>): Promise<User> {
  const user = await fetchUser(id);
  cache.set(id, user);
  return user;
}

export const clear = async () => {
  cache.clear();
};

// Every use of the functions above is a direct call.
export function callAll() {
  void cachedUser('id');
  void clear();
}
