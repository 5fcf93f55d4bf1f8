// Entry point. A top-level call of an async function drops its promise: if main() rejects,
// Node reports an unhandled rejection instead of a clean exit code.
import { loadSettings } from './config.js';
import { MemoryCustomers, MemoryOrders } from './memory-store.js';
import { OrderService } from './orders.js';

async function main(): Promise<void> {
  const settings = await loadSettings(process.env.ORDER_SETTINGS ?? 'settings.json');
  const service = new OrderService(
    new MemoryCustomers(),
    new MemoryOrders(),
    { reserve: () => Promise.resolve(true), isAvailable: () => Promise.resolve(true) },
    { send: (to, subject) => Promise.resolve(console.log(`mail to ${to}: ${subject}`)) },
  );
  console.log(`listening on ${settings.port}`, await service.summary('c1'));
}

main(); // unawaited: use `main().catch(...)` or top-level await
