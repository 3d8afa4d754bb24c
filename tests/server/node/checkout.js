// stripe-node against `fakecheckout serve`: create, retrieve, and a 404. Prints one JSON line.
// Usage: node checkout.js http://127.0.0.1:PORT sk_test_...
const Stripe = require("stripe");

const [base, key] = process.argv.slice(2);
const address = new URL(base);
const stripe = new Stripe(key, {
  host: address.hostname,
  port: address.port,
  protocol: address.protocol.replace(":", ""),
  maxNetworkRetries: 0,
});

(async () => {
  const created = await stripe.checkout.sessions.create({
    mode: "payment",
    success_url: "https://example.com/ok",
    line_items: [
      {
        price_data: { currency: "usd", unit_amount: 1500, product_data: { name: "T-shirt" } },
        quantity: 2,
      },
    ],
  });
  const retrieved = await stripe.checkout.sessions.retrieve(created.id);
  let missing = null;
  try {
    await stripe.checkout.sessions.retrieve("cs_test_missing");
  } catch (error) {
    missing = { type: error.type, code: error.code, status: error.statusCode };
  }
  console.log(JSON.stringify({ id: created.id, amount_total: retrieved.amount_total, missing }));
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
