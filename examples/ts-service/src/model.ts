// The service's interfaces. Callers only see these types: whether a call returns a promise is
// decided by the interface, which is what async-lint's type-aware rules read.
export interface Customer {
  id: string;
  email: string;
  name: string;
}

export interface Order {
  id: string;
  customerId: string;
  items: { sku: string; quantity: number }[];
  total: number;
}

export interface CustomerRepository {
  find(id: string): Promise<Customer | undefined>;
  save(customer: Customer): Promise<void>;
}

export interface OrderRepository {
  find(id: string): Promise<Order | undefined>;
  forCustomer(customerId: string): Promise<Order[]>;
  save(order: Order): Promise<void>;
  /** One page of orders after `cursor`; `next` is undefined on the last page. */
  page(cursor: string | undefined): Promise<{ orders: Order[]; next?: string }>;
}

export interface Mailer {
  send(to: string, subject: string, body: string): Promise<void>;
}

export interface Inventory {
  reserve(sku: string, quantity: number): Promise<boolean>;
  isAvailable(sku: string): Promise<boolean>;
}
