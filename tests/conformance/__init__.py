"""Conformance tests: the same test bodies run through the ``stripe`` SDK against the fake and,
when ``STRIPE_TEST_SECRET_KEY`` is set, against Stripe's real test mode."""
