"""The shop against a Stripe account seeded once: a catalogue, the welcome code and a returning
customer who already paid, built once per module, snapshotted, and restored before every test
(``fake.snapshot()``/``restore()``); and the same account written to a JSON fixture file and
loaded back (``fake.dump()``/``FakeCheckout.load()``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import stripe

from fakecheckout import FakeCheckout, ManualClock, Snapshot

from .conftest import START, STOCK, open_shop
from .shop import Line, Product, Shop

RETURNING = "ada@example.com"
CATALOGUE = [Product("tshirt", "T-shirt", "tshirt"), Product("mug", "Mug", "mug")]


@pytest.fixture(scope="module")
def seeded() -> tuple[FakeCheckout, Snapshot]:
    """One fake for the module: the catalogue, the welcome code, and ``RETURNING``'s paid first
    order. Returns the fake (not active) and its snapshot."""
    fake = FakeCheckout(seed=7, clock=ManualClock(START))
    with fake:
        shop = open_shop(fake, ships=True)
        first, _ = shop.checkout([Line("mug")], email=RETURNING, promotion_code="WELCOME10")
        fake.sessions.complete(shop.orders[first].session_id)
    return fake, fake.snapshot()


@pytest.fixture
def account(seeded: tuple[FakeCheckout, Snapshot]) -> Iterator[FakeCheckout]:
    """The seeded account, as it was after seeding, active for one test."""
    fake, snapshot = seeded
    fake.restore(snapshot)
    with fake:
        yield fake


@pytest.fixture
def shop(account: FakeCheckout, monkeypatch: pytest.MonkeyPatch) -> Shop:
    """A fresh shop over the seeded account's catalogue (no prices created: they are seeded)."""
    monkeypatch.setattr(stripe, "api_key", None)
    return shop_over(account)


def shop_over(fake: FakeCheckout) -> Shop:
    """The shop, shipping at the account's one shipping rate."""
    (rate,) = fake.shipping_rates.all()
    return Shop(
        CATALOGUE,
        STOCK,
        api_key="sk_test_shop",
        webhook_secret=fake.webhooks.secret,
        shipping_rate=rate["id"],
        now=fake.clock.now,
    )


def test_the_returning_customer_cannot_use_the_welcome_code_again(shop: Shop) -> None:
    with pytest.raises(stripe.InvalidRequestError) as refused:
        shop.checkout([Line("tshirt")], email=RETURNING, promotion_code="WELCOME10")

    assert refused.value.param == "discounts[0][promotion_code]"


def test_a_new_customer_gets_the_welcome_discount(account: FakeCheckout, shop: Shop) -> None:
    order_id, _ = shop.checkout(
        [Line("tshirt")], email="grace@example.com", promotion_code="WELCOME10"
    )

    session = account.sessions.retrieve(shop.orders[order_id].session_id)
    assert session["total_details"]["amount_discount"] == 150


def test_what_one_test_creates_is_gone_in_the_next(account: FakeCheckout, shop: Shop) -> None:
    assert [s["status"] for s in account.sessions.all()] == ["complete"]
    shop.checkout([Line("mug")])
    assert len(account.sessions.all()) == 2


def test_every_test_gets_the_same_ids_from_the_seed(
    seeded: tuple[FakeCheckout, Snapshot], account: FakeCheckout, shop: Shop
) -> None:
    first_run, _ = shop.checkout([Line("mug")], email=RETURNING)
    account.restore(seeded[1])
    next_shop = shop_over(account)
    second_run, _ = next_shop.checkout([Line("mug")], email=RETURNING)

    assert next_shop.orders[second_run].session_id == shop.orders[first_run].session_id
    assert next_shop.customer_id(RETURNING) == shop.customer_id(RETURNING)


def test_the_account_written_to_a_fixture_file_loads_into_the_same_account(
    seeded: tuple[FakeCheckout, Snapshot], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake, snapshot = seeded
    fake.restore(snapshot)
    fixture = tmp_path / "stripe_account.json"
    fixture.write_text(json.dumps(fake.dump()))

    monkeypatch.setattr(stripe, "api_key", None)
    with FakeCheckout.load(json.loads(fixture.read_text())) as loaded:
        assert loaded.sessions.all() == fake.sessions.all()
        assert loaded.events.all() == fake.events.all()
        shop = shop_over(loaded)
        with pytest.raises(stripe.InvalidRequestError):
            shop.checkout([Line("mug")], email=RETURNING, promotion_code="WELCOME10")


def test_restoring_undoes_a_test_s_changes_to_the_seed(
    seeded: tuple[FakeCheckout, Snapshot], account: FakeCheckout
) -> None:
    (code,) = account.promotion_codes.all()
    account.promotion_codes.update(code["id"], active=False)

    account.restore(seeded[1])

    assert [c["active"] for c in account.promotion_codes.all()] == [True]
