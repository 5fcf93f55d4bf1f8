// In-memory repositories for tests and local runs. The interface asks for promises, so these
// methods are async even though a Map answers at once. They implement the interface, so
// unused-async leaves them alone: the `async` is what the interface asks for.
import type { Customer, CustomerRepository, Order, OrderRepository } from './model.js';

export class MemoryCustomers implements CustomerRepository {
  private readonly rows = new Map<string, Customer>();

  async find(id: string): Promise<Customer | undefined> {
    return this.rows.get(id);
  }

  async save(customer: Customer): Promise<void> {
    this.rows.set(customer.id, customer);
  }
}

export class MemoryOrders implements OrderRepository {
  private readonly rows: Order[] = [];

  // Returning a promise from a plain method is the alternative: no `async`, nothing to report.
  find(id: string): Promise<Order | undefined> {
    return Promise.resolve(this.rows.find((o) => o.id === id));
  }

  forCustomer(customerId: string): Promise<Order[]> {
    return Promise.resolve(this.rows.filter((o) => o.customerId === customerId));
  }

  save(order: Order): Promise<void> {
    this.rows.push(order);
    return Promise.resolve();
  }

  page(cursor: string | undefined): Promise<{ orders: Order[]; next?: string }> {
    const start = cursor ? Number(cursor) : 0;
    const orders = this.rows.slice(start, start + 50);
    const next = start + 50 < this.rows.length ? String(start + 50) : undefined;
    return Promise.resolve({ orders, next });
  }
}
