async function save(order: string): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 10));
  console.log('saved', order);
}

export async function checkout(order: string): Promise<void> {
  save(order);
}

export async function total(prices: number[]): Promise<number> {
  return prices.reduce((a, b) => a + b, 0);
}

export function preview(prices: number[]): void {
  void total(prices);
}
