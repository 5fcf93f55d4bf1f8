async function notify(user) {
  await Promise.resolve(user);
}

export async function onSignup(user) {
  notify(user);
}
