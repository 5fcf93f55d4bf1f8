export async function flush(queue) {
  await queue.drain();
}

export function start(queue) {
  return flush(queue);
}
