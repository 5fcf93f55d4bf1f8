// The order service: where most async mistakes live. Each method shows one mistake next to the
// way to write it.
import type { CustomerRepository, Inventory, Mailer, Order, OrderRepository } from './model.js';

export class OrderService {
  constructor(
    private readonly customers: CustomerRepository,
    private readonly orders: OrderRepository,
    private readonly inventory: Inventory,
    private readonly mailer: Mailer,
  ) {}

  /** unawaited: `save` returns a promise (the interface says so) and nobody waits for it. */
  async place(order: Order): Promise<void> {
    const customer = await this.customers.find(order.customerId);
    if (!customer) throw new Error(`no customer ${order.customerId}`);
    this.orders.save(order); // unawaited: a failed save is an unhandled rejection
    await this.mailer.send(customer.email, 'Order received', `Order ${order.id}: ${order.total}`);
  }

  /** sequential-await: the two lookups do not depend on each other, yet the second waits. */
  async summary(customerId: string): Promise<string> {
    const customer = await this.customers.find(customerId);
    const history = await this.orders.forCustomer(customerId);
    return `${customer?.name ?? 'unknown'}: ${history.length} orders`;
  }

  /** The same lookups started together. */
  async summaryConcurrent(customerId: string): Promise<string> {
    const [customer, history] = await Promise.all([this.customers.find(customerId), this.orders.forCustomer(customerId)]);
    return `${customer?.name ?? 'unknown'}: ${history.length} orders`;
  }

  /** Dependent awaits are not sequential-await: the second needs the first's result. */
  async customerOf(orderId: string) {
    const order = await this.orders.find(orderId);
    const customer = await this.customers.find(order?.customerId ?? '');
    return customer;
  }

  /** await-in-loop: each availability check waits for the previous one. */
  async available(order: Order): Promise<string[]> {
    const missing: string[] = [];
    for (const item of order.items) {
      if (!(await this.inventory.isAvailable(item.sku))) missing.push(item.sku);
    }
    return missing;
  }

  /** The checks run together. */
  async availableConcurrent(order: Order): Promise<string[]> {
    const checks = await Promise.all(order.items.map((item) => this.inventory.isAvailable(item.sku)));
    return order.items.filter((_, i) => !checks[i]).map((item) => item.sku);
  }

  /** Not await-in-loop: each page needs the cursor the previous page returned. */
  async all(): Promise<Order[]> {
    const all: Order[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 1000; page++) {
      const result = await this.orders.page(cursor);
      all.push(...result.orders);
      cursor = result.next;
      if (!cursor) break;
    }
    return all;
  }

  /** async-callback: forEach ignores the promises, so reserve() runs unobserved and place() does not wait. */
  async reserveAll(order: Order): Promise<void> {
    order.items.forEach(async (item) => {
      await this.inventory.reserve(item.sku, item.quantity);
    });
  }

  /** Not await-in-loop: one by one on purpose, stopping at the first item out of stock. */
  async reserveInOrder(order: Order): Promise<boolean> {
    for (const item of order.items) {
      if (!(await this.inventory.reserve(item.sku, item.quantity))) return false;
    }
    return true;
  }
}
