export interface Order {
  id: string;
  total: number;
}

export interface OrderStore {
  save(order: Order): Promise<void>;
  find(id: string): Promise<Order | undefined>;
  audit(message: string): Promise<void>;
}

export async function placeOrder(store: OrderStore, order: Order): Promise<void> {
  await store.save(order);
  await store.audit(`placed ${order.id}`);
}

export async function compare(store: OrderStore, archive: OrderStore, a: string, b: string): Promise<boolean> {
  const first = await store.find(a);
  const second = await archive.find(b);
  return first?.total === second?.total;
}
