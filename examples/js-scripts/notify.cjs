// CommonJS script that notifies customers. `require` aliases are resolved like imports.
const fsp = require('fs/promises');

/** @returns {Promise<{ id: string, email: string }[]>} */
async function loadCustomers(file) {
  return JSON.parse(await fsp.readFile(file, 'utf8'));
}

async function send(customer, message) {
  const res = await fetch('https://mail.example.com/send', {
    method: 'POST',
    body: JSON.stringify({ to: customer.email, message }),
  });
  if (!res.ok) throw new Error(`mail to ${customer.email} failed: ${res.status}`);
}

async function notifyAll(file) {
  const customers = await loadCustomers(file);
  // async-callback: filter() sees a promise (always truthy), so every customer passes.
  const active = customers.filter(async (c) => (await fetch(`https://crm.example.com/active/${c.id}`)).ok);
  // await-in-loop: each mail waits for the previous one.
  for (const customer of active) {
    await send(customer, 'Your order has shipped.');
  }
}

async function notifyAllConcurrently(file) {
  const customers = await loadCustomers(file);
  await Promise.all(customers.map((c) => send(c, 'Your order has shipped.')));
}

// unawaited: a rejection here is an unhandled rejection, not an exit code.
notifyAll(process.argv[2]);

module.exports = { notifyAllConcurrently };
