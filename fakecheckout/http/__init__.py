"""The HTTP front door: Stripe's wire formats (form decoding, routing, JSON responses)."""
