// Plain JavaScript is linted too.
export async function summary(rows) {
  return rows.length;
}

export function total(rows) {
  return rows.reduce((sum, r) => sum + r.amount, 0);
}
