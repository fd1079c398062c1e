"""What differs between the app classes: another ASGI app mounted beside the APIs (the console's
hook), and blocking handlers kept off the event loop, at most `threads` at a time."""

from __future__ import annotations

import threading
import time

import anyio
import connexion
from starlette.responses import PlainTextResponse
from starlette.routing import Route, Router

from tmf_gateway.api import frameworks
from tmf_gateway.config import Settings

CUSTOMERS = "/tmf-api/customerManagement/v4/customer"


def test_a_mounted_asgi_app_answers_beside_the_apis(gateway_app, client):
    extra = Router(routes=[Route("/hello", lambda _req: PlainTextResponse("hi"))])
    frameworks.mount(gateway_app, "/tmf-test-mounted", extra)
    answer = client.get("/tmf-test-mounted/hello")
    assert answer.status_code == 200 and answer.text == "hi"
    assert answer.headers.get("x-request-id")  # the request passed the gateway's middleware
    assert client.get(f"{CUSTOMERS}?limit=1").status_code in (200, 206)  # the APIs still answer
    missing = client.get("/tmf-test-mounted/nothing")
    assert missing.status_code == 404


def test_blocking_handlers_run_in_a_bounded_pool_off_the_loop():
    limiter = frameworks.thread_limiter(Settings(threads=2))
    running, peak, lock = [0], [0], threading.Lock()

    def blocking() -> int:
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.1)
        with lock:
            running[0] -= 1
        return threading.get_ident()

    served = frameworks.adapt_handlers(connexion.AsyncApp(__name__), {"op": blocking}, limiter)
    idents: list[int] = []

    async def main() -> None:
        loop_thread = threading.get_ident()
        async with anyio.create_task_group() as group:
            for _ in range(6):
                group.start_soon(lambda: _collect(served["op"], idents))
        assert loop_thread not in idents

    anyio.run(main)
    assert len(idents) == 6 and peak[0] == 2


async def _collect(handler, idents: list[int]) -> None:
    idents.append(await handler())


def test_an_integer_beyond_64_bits_is_validated_as_the_integer_it_is(client):
    """JSON integers have no size limit: request validation must see the integer the client
    sent, not a float an orjson parse would make of it (found by Schemathesis)."""
    body = {"name": "Big", "engagedParty": {"id": "500", "@referredType": "Organization"},
            "creditProfile": [{"creditRiskRating": 182737806303276950000000000,
                               "creditProfileDate": "2026-01-01T00:00:00Z",
                               "validFor": {"startDateTime": "2026-01-01T00:00:00Z"}}]}
    answer = client.post(CUSTOMERS, json=body)
    assert answer.status_code == 201, answer.text
