// Background jobs: timers, callbacks and a start-up script.
import { execSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Mailer, OrderRepository } from './model.js';

/** unawaited inside a sync callback: the promise from send() is dropped every minute. */
export function startReminders(mailer: Mailer, admin: string): NodeJS.Timeout {
  return setInterval(() => {
    mailer.send(admin, 'Reminder', 'Check the pending orders.');
  }, 60_000);
}

/** Handled: the rejection goes to a handler, and `void` marks a deliberate fire-and-forget. */
export function startRemindersSafely(mailer: Mailer, admin: string): NodeJS.Timeout {
  return setInterval(() => {
    mailer.send(admin, 'Reminder', 'Check the pending orders.').catch((e) => console.error('reminder failed', e));
  }, 60_000);
}

/**
 * blocking-call: a busy-wait burns the event loop, and execSync blocks it until git exits. (Nothing
 * is awaited either, but its callers are outside this project, and unused-async only reports a
 * function whose every caller it can see.)
 */
export async function deployMarker(): Promise<string> {
  const until = Date.now() + 200;
  while (Date.now() < until) {
    // waiting for the file system to settle
  }
  return execSync('git rev-parse HEAD').toString().trim();
}

/** Polling with a real sleep is not a busy-wait. */
export async function waitForOrder(orders: OrderRepository, id: string): Promise<boolean> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    if (await orders.find(id)) return true;
    await sleep(100);
  }
  return false;
}

/** async-callback: an async Promise executor loses its own errors. */
export function firstOrder(orders: OrderRepository): Promise<string> {
  return new Promise(async (resolve) => {
    const { orders: page } = await orders.page(undefined);
    resolve(page[0]?.id ?? 'none');
  });
}
