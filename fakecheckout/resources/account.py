"""The platform's own account (``GET /v1/account``): the ``account`` object of ``fake.account_id``.

``Stripe-Account: <fake.account_id>`` addresses the platform itself (``World.account``); any other
``acct_…`` id is a connected account's separate namespace.
https://docs.stripe.com/api/accounts/retrieve
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fakecheckout.core.jsondata import copy_json
from fakecheckout.core.params import validate
from fakecheckout.core.resource import Resource, ResourceAPI, Route

if TYPE_CHECKING:
    from fakecheckout.core.world import Account, World

#: ``requirements`` and ``future_requirements`` of an account with nothing due.
_NOTHING_DUE: dict[str, Any] = {
    "alternatives": [],
    "current_deadline": None,
    "currently_due": [],
    "disabled_reason": None,
    "errors": [],
    "eventually_due": [],
    "past_due": [],
    "pending_verification": [],
}

_ADDRESS = dict.fromkeys(("city", "country", "line1", "line2", "postal_code", "state"))


def account_object(account_id: str, created: int) -> dict[str, Any]:
    """A test-mode ``standard`` account that can take payments (every field of Stripe's schema)."""
    return {
        "id": account_id,
        "object": "account",
        "business_profile": {
            "annual_revenue": None,
            "estimated_worker_count": None,
            "mcc": None,
            "minority_owned_business_designation": None,
            "name": None,
            "product_description": None,
            "support_address": None,
            "support_email": None,
            "support_phone": None,
            "support_url": None,
            "url": None,
        },
        "business_type": None,
        "capabilities": {"card_payments": "active", "transfers": "active"},
        "charges_enabled": True,
        "controller": {"type": "account"},
        "country": "US",
        "created": created,
        "default_currency": "usd",
        "details_submitted": True,
        "email": None,
        "external_accounts": {
            "object": "list",
            "data": [],
            "has_more": False,
            "url": f"/v1/accounts/{account_id}/external_accounts",
        },
        "future_requirements": copy_json(_NOTHING_DUE),
        "metadata": {},
        "payouts_enabled": True,
        "requirements": copy_json(_NOTHING_DUE),
        "settings": {
            "bacs_debit_payments": {"display_name": None, "service_user_number": None},
            "branding": {
                "icon": None,
                "logo": None,
                "primary_color": None,
                "secondary_color": None,
            },
            "card_issuing": {"tos_acceptance": {"date": None, "ip": None}},
            "card_payments": {
                "decline_on": {"avs_failure": False, "cvc_failure": False},
                "statement_descriptor_prefix": None,
                "statement_descriptor_prefix_kana": None,
                "statement_descriptor_prefix_kanji": None,
            },
            "dashboard": {"display_name": "Test account", "timezone": "Etc/UTC"},
            "invoices": {"default_account_tax_ids": None, "hosted_payment_method_save": None},
            "payments": {
                "statement_descriptor": None,
                "statement_descriptor_kana": None,
                "statement_descriptor_kanji": None,
                "statement_descriptor_prefix_kana": None,
                "statement_descriptor_prefix_kanji": None,
            },
            "payouts": {
                "debit_negative_balances": True,
                "schedule": {"delay_days": 2, "interval": "daily"},
                "statement_descriptor": None,
            },
            "sepa_debit_payments": {},
        },
        "tos_acceptance": {"date": None, "ip": None, "user_agent": None},
        "type": "standard",
    }


class AccountsAPI(ResourceAPI):
    """``fake.accounts``: the account itself (the SDK's ``stripe.Account.retrieve()`` with no id,
    ``client.v1.accounts.retrieve_current()``)."""

    def __init__(self, world: World, account: Account) -> None:
        super().__init__(world, account)
        self._created = account.opened_at  # the account exists from the fake's start

    def retrieve_current(self, /, **params: Any) -> dict[str, Any]:
        """``GET /v1/account``: the platform's own account (or the connected account addressed)."""
        with self._world.operation():
            validate("account.retrieve", params)
            account_id = self._account.account_id or self._world.account_id
            return account_object(account_id, self._created)


RESOURCE = Resource(
    name="accounts",
    object="account",
    api=AccountsAPI,
    routes=(Route("GET", "/v1/account", lambda ns, ids, p: ns.accounts.retrieve_current(**p)),),
)
