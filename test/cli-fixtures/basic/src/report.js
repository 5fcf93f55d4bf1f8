// Plain JavaScript is linted too.
export async function summary(rows) {
  return rows.length;
}

export function total(rows) {
  return rows.reduce((sum, r) => sum + r.amount, 0);
}

// Every use of the functions above is a direct call.
export function callAll() {
  void summary([]);
}
