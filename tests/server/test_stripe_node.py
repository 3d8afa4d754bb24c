"""stripe-node against ``fakecheckout serve`` (when node and the ``stripe`` npm package are
there: ``.ci/run`` installs it with npm and sets ``NODE_PATH``)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

import fakecheckout
from tests.factories import KEY

SCRIPT = Path(__file__).with_name("node") / "checkout.js"


def _stripe_node_available() -> bool:
    if shutil.which("node") is None:
        return False
    probe = subprocess.run(["node", "-e", "require('stripe')"], capture_output=True, timeout=60)
    return probe.returncode == 0


@pytest.mark.skipif(
    not _stripe_node_available(), reason="node or the stripe npm package (NODE_PATH) is missing"
)
def test_stripe_node_creates_and_retrieves_a_session_and_gets_stripes_404():
    with fakecheckout.serve() as server:
        result = subprocess.run(
            ["node", str(SCRIPT), server.url, KEY],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        answer = json.loads(result.stdout)
        assert server.fake.sessions.retrieve(answer["id"])["amount_total"] == 3000
    assert answer["amount_total"] == 3000
    assert answer["missing"] == {
        "type": "StripeInvalidRequestError",
        "code": "resource_missing",
        "status": 404,
    }
