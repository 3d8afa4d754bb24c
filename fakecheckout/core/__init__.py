"""The core: Stripe's Checkout Session behaviour, with no knowledge of HTTP."""
