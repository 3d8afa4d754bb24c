"""An example shop that sells through Stripe Checkout, and its tests against fakecheckout."""

from __future__ import annotations
