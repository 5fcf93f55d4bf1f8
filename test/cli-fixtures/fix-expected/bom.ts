import type { OrderStore } from './orders';

export async function remove(store: OrderStore, id: string): Promise<void> {
  await store.audit(`removed ${id}`);
  await store.find(id);
}
