"""``fakecheckout serve``: the SDK, curl and raw HTTP over a real socket reach the same fake."""

from __future__ import annotations

import inspect
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request

import pytest
import requests
import stripe

import fakecheckout
from fakecheckout import FakeCheckout
from tests.factories import AUTH, KEY, payment_params


@pytest.fixture
def server():
    with fakecheckout.serve(seed=5) as running:
        yield running


def test_stripe_client_pointed_at_the_server_reaches_its_fake(server):
    client = stripe.StripeClient(KEY, base_addresses={"api": server.url})
    session = client.v1.checkout.sessions.create(payment_params())
    assert server.fake.sessions.retrieve(session.id)["amount_total"] == 1500


def test_module_level_api_base_reaches_the_server(server, monkeypatch):
    monkeypatch.setattr(stripe, "api_base", server.url)
    session = stripe.checkout.Session.create(api_key=KEY, **payment_params())
    assert stripe.checkout.Session.retrieve(session.id, api_key=KEY).id == session.id


def test_errors_through_the_server_are_the_adapters_errors(server):
    client = stripe.StripeClient(KEY, base_addresses={"api": server.url})
    with pytest.raises(stripe.InvalidRequestError) as served:
        client.v1.checkout.sessions.retrieve("cs_test_missing")
    with FakeCheckout(), pytest.raises(stripe.InvalidRequestError) as in_process:
        stripe.StripeClient(KEY).v1.checkout.sessions.retrieve("cs_test_missing")
    assert served.value.json_body == in_process.value.json_body
    assert served.value.http_status == in_process.value.http_status == 404


def test_in_server_mode_a_sessions_url_is_the_servers_checkout_page(server):
    client = stripe.StripeClient(KEY, base_addresses={"api": server.url})
    session = client.v1.checkout.sessions.create(payment_params())
    assert session.url.startswith(f"{server.url}/c/pay/{session.id}#")


def test_serve_does_not_start_the_fake_in_process(server):
    assert not server.fake.active


def test_a_chunked_body_is_read(server):
    def chunks():
        yield b"mode=payment&success_url=https%3A%2F%2Fexample.com%2Fok&"
        yield b"line_items[0][price]=price_missing&line_items[0][quantity]=1"

    response = requests.post(f"{server.url}/v1/checkout/sessions", data=chunks(), headers=AUTH)
    assert response.json()["error"]["code"] == "resource_missing"


def test_head_and_options_get_answers_not_tracebacks(server):
    assert requests.head(f"{server.url}/v1/checkout/sessions", headers=AUTH).status_code == 200
    assert requests.options(f"{server.url}/v1/checkout/sessions").status_code == 404


def test_each_request_is_logged_in_one_line(server, caplog):
    caplog.set_level("INFO", logger="fakecheckout.server")
    requests.get(f"{server.url}/v1/checkout/sessions", headers=AUTH)
    lines = [r.getMessage() for r in caplog.records if r.name == "fakecheckout.server"]
    assert lines == ['127.0.0.1 "GET /v1/checkout/sessions" 200']


def test_closing_the_server_ends_idle_keep_alive_connections():
    with fakecheckout.serve() as running:
        kept = requests.Session()
        kept.get(f"{running.url}/v1/checkout/sessions", headers=AUTH)  # the connection stays open
    with pytest.raises(requests.ConnectionError):
        kept.get(f"{running.url}/v1/checkout/sessions", headers=AUTH)


def test_serve_passes_fake_keyword_arguments_on():
    with fakecheckout.serve(seed=9) as first, fakecheckout.serve(seed=9) as second:
        ids = [
            stripe.StripeClient(KEY, base_addresses={"api": running.url})
            .v1.checkout.sessions.create(payment_params())
            .id
            for running in (first, second)
        ]
    assert ids[0] == ids[1]


# --- curl -----------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_curl_creates_and_retrieves_a_session(server):
    base = ["curl", "-sS", "-u", f"{KEY}:"]
    created = json.loads(
        subprocess.run(
            [
                *base,
                f"{server.url}/v1/checkout/sessions",
                "-d",
                "mode=payment",
                "-d",
                "success_url=https://example.com/ok",
                "-d",
                "line_items[0][price_data][currency]=usd",
                "-d",
                "line_items[0][price_data][unit_amount]=2000",
                "-d",
                "line_items[0][price_data][product_data][name]=Mug",
                "-d",
                "line_items[0][quantity]=3",
            ],
            capture_output=True,
            check=True,
            timeout=30,
        ).stdout
    )
    assert created["amount_total"] == 6000
    retrieved = json.loads(
        subprocess.run(
            [*base, "-G", f"{server.url}/v1/checkout/sessions/{created['id']}"],
            capture_output=True,
            check=True,
            timeout=30,
        ).stdout
    )
    assert retrieved == server.fake.sessions.retrieve(created["id"])


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_curl_without_a_key_gets_stripes_401(server):
    result = subprocess.run(
        ["curl", "-sS", "-w", "\n%{http_code}", f"{server.url}/v1/checkout/sessions"],
        capture_output=True,
        check=True,
        timeout=30,
    )
    body, _, status = result.stdout.decode().rpartition("\n")
    assert status == "401"
    assert json.loads(body)["error"]["type"] == "invalid_request_error"


# --- the command ------------------------------------------------------------------------------


def _start_cli(*args: str) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "fakecheckout", "serve", "--port", "0", *args],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stderr is not None
    first = process.stderr.readline()
    found = re.search(r"serving on (http://\S+)", first)
    assert found, first
    return process, found.group(1)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_the_command_serves_until_a_signal_then_exits_cleanly(sig):
    process, url = _start_cli("--seed", "3")
    try:
        assert requests.get(f"{url}/v1/checkout/sessions", headers=AUTH).json()["object"] == "list"
    finally:
        process.send_signal(sig)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0
    assert '"GET /v1/checkout/sessions" 200' in stderr
    assert "fakecheckout stopped" in stderr


def test_the_command_binds_loopback_by_default():
    process, url = _start_cli()
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=30)
    assert url.startswith("http://127.0.0.1:")


def test_the_command_with_seed_gives_reproducible_ids():
    ids = []
    for _ in range(2):
        process, url = _start_cli("--seed", "11")
        try:
            client = stripe.StripeClient(KEY, base_addresses={"api": url})
            ids.append(client.v1.checkout.sessions.create(payment_params()).id)
        finally:
            process.send_signal(signal.SIGTERM)
            process.communicate(timeout=30)
    assert ids[0] == ids[1]


@pytest.mark.skipif(
    "api_version" not in inspect.signature(FakeCheckout).parameters,
    reason="FakeCheckout(api_version=...) is not in this build yet",
)
def test_the_command_passes_api_version_to_the_fake():
    process, url = _start_cli("--api-version", "2025-02-24.acacia")
    try:
        request = urllib.request.Request(f"{url}/v1/checkout/sessions", headers=AUTH)
        with urllib.request.urlopen(request) as response:
            assert response.headers["Stripe-Version"] == "2025-02-24.acacia"
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)


def test_serve_threads_answer_requests_concurrently(server):
    """A request held inside a webhook callback does not stop another connection's request."""
    entered, release = threading.Event(), threading.Event()

    def hold(payload: bytes, headers: dict[str, str]) -> None:
        entered.set()
        release.wait(30)

    client = stripe.StripeClient(KEY, base_addresses={"api": server.url})
    session = client.v1.checkout.sessions.create(payment_params())
    server.fake.webhooks.subscribe(hold)
    expiring = threading.Thread(target=client.v1.checkout.sessions.expire, args=(session.id,))
    expiring.start()
    assert entered.wait(30)
    try:
        listed = requests.get(f"{server.url}/v1/checkout/sessions", headers=AUTH).json()
        assert listed["object"] == "list"
    finally:
        release.set()
        expiring.join()


@pytest.mark.parametrize(
    "raw",
    [
        b"NONSENSE\r\n\r\n",
        b"GET /v1/checkout/sessions HTTP/9.9\r\n\r\n",
        b"POST /v1/checkout/sessions HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
        b"POST /v1/checkout/sessions HTTP/1.1\r\nContent-Length: lots\r\n\r\n",
        b"POST /v1/checkout/sessions HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"POST /v1/checkout/sessions HTTP/1.1\r\nContent-Length: 999999999999\r\n\r\n",
        b"GET /c/pay/%ff%fe HTTP/1.1\r\n\r\n",
        b"GET /v1/checkout/sessions/%00 HTTP/1.1\r\nAuthorization: Bearer \xff\r\n\r\n",
    ],
)
def test_malformed_requests_get_an_answer_and_the_server_keeps_serving(server, raw):
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall(raw)
        connection.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    # a status line, or for a request line without a version the stdlib's HTTP/0.9 error page
    found = re.match(rb"HTTP/1\.[01] (\d{3})", answer) or re.search(rb"Error code: (\d{3})", answer)
    assert found, answer[:200]
    status = int(found.group(1))
    assert 400 <= status < 500 or status == 505, answer[:200]  # 505: HTTP version not supported
    assert requests.get(f"{server.url}/v1/checkout/sessions", headers=AUTH).status_code == 200
