"""A small legacy CRM order system on 127.0.0.1 for tests, with its own JSON shapes and faults.

Orders are `{"orderRef", "account": {"accountRef"}, "lines": [{"lineNo", "sku", "op"}]}`;
each read of the feed moves open lines one step (OPEN -> WIP -> DONE, or ERR for a sku with
"fail", HOLD for "hold"). A sku with "bad" is refused (422), one with "nocancel" cannot be
cancelled (409), one with "nofeas" is not feasible. Customers are "accounts" (`accountRef` is
our id, `accountNo` the CRM's, `displayName`, `holder`, `lifecycle`). `fault`: None, "slow",
"error500" or "garbled"; stop() and start() take the server away and bring it back on the same
port, keeping its data (like a real database). `call_back(url, secret)` switches it to pushing
its status changes to the gateway's callback endpoint instead of waiting to be polled.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import sys
import threading
import time
from pathlib import Path
from typing import Any

import requests
from flask import Flask, Response, jsonify, request
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

API_KEY = "s3cret"
MAPPING = Path(__file__).with_name("crm-mapping.yaml")  # the integrator's mapping file
FINAL = {"DONE", "ERR", "CXL"}


class _OneShotHandler(WSGIRequestHandler):
    # no keep-alive: when the server stops, every client connection really goes away
    protocol_version = "HTTP/1.0"

    def log_request(self, *args: Any) -> None:
        pass


class LegacyCrm:
    def __init__(self) -> None:
        self.orders: dict[str, dict[str, Any]] = {}
        self.received: list[dict[str, Any]] = []
        self.idempotency_keys: list[str | None] = []  # the header of every order submission
        self.events: list[dict[str, Any]] = []
        self.feed_reads: list[int] = []  # the `after` cursor of every feed request
        self.accounts: dict[str, dict[str, Any]] = {}  # accountRef (our id) -> account
        self.account_writes: list[dict[str, Any]] = []
        self.fault: str | None = None
        self.requests = 0  # every request that reached the CRM, faults included
        self.frozen = False  # True: nobody works on the orders, lines keep their status
        self.promise: str | None = None  # the completion date promised for new orders
        self.slow_seconds = 2.0
        self.lock = threading.Lock()
        self.app = self._build()
        self.port = 0
        self.server: BaseWSGIServer | None = None
        self.thread: threading.Thread | None = None
        self.delivered = 0  # callback mode: the last change the gateway accepted
        self.callback_answers: list[int] = []
        self._closed = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> LegacyCrm:
        self.server = make_server("127.0.0.1", self.port, self.app, threaded=True,
                                  request_handler=_OneShotHandler)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def close(self) -> None:
        """Stop for good: the server and the callback thread."""
        self._closed.set()
        self.stop()

    def call_back(self, url: str, secret: str, tick: float = 0.2) -> None:
        """Callback mode: every `tick` seconds (while the server is up) move the orders on and
        POST the changes the gateway has not accepted yet to `url`, as `{"changes": [...]}`
        signed in `X-Signature` (t=<unix time>,sha256=HMAC of "<time>." + body); a failed POST
        is signed and sent again."""

        def loop() -> None:
            while not self._closed.wait(tick):
                if self.server is not None:
                    self._push(url, secret.encode())

        threading.Thread(target=loop, daemon=True, name="crm-callbacks").start()

    def _push(self, url: str, secret: bytes) -> None:
        with self.lock:
            self._advance()
            changes = [e for e in self.events if e["seq"] > self.delivered]
        if not changes:
            return
        body = json.dumps({"changes": changes}).encode()
        stamp = int(time.time())  # signed with the body, so a captured callback soon expires
        digest = hmac.new(secret, f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
        signature = f"t={stamp},sha256={digest}"
        try:
            answer = requests.post(url, data=body, timeout=2, headers={
                "Content-Type": "application/json", "X-Signature": signature})
        except requests.RequestException:
            return  # the gateway is away: send again on the next tick
        self.callback_answers.append(answer.status_code)
        if answer.status_code == 200:
            self.delivered = changes[-1]["seq"]

    # -- the legacy behaviour -------------------------------------------------------------
    def _event(self, ref: str, line: dict[str, Any], status: str, remark: str = "") -> None:
        line["lineStatus"] = status
        event = {"seq": len(self.events) + 1, "orderRef": ref, "line": {"no": line["lineNo"]},
                 "lineStatus": status, "remark": remark}
        promised = self.orders[ref].get("promisedDate")
        self.events.append({**event, "promisedDate": promised} if promised else event)

    def _advance(self) -> None:
        if self.frozen:
            return
        for ref, order in self.orders.items():
            for line in order["lines"]:
                status, sku = line["lineStatus"], line["sku"]
                if status == "OPEN":
                    self._event(ref, line, "WIP")
                elif status == "WIP" and "hold" in sku:
                    self._event(ref, line, "HOLD", "waiting for a technician")
                elif status == "WIP":
                    failed = "fail" in sku
                    self._event(ref, line, "ERR" if failed else "DONE",
                                "no port free at the exchange" if failed else "")

    def _build(self) -> Flask:
        app = Flask("legacy_crm")

        @app.before_request
        def _faults() -> Response | None:
            with self.lock:
                self.requests += 1
            if request.headers.get("X-Api-Key") != API_KEY:
                return Response('{"errorText": "bad api key"}', 401, mimetype="application/json")
            if self.fault == "slow":
                time.sleep(self.slow_seconds)
            if self.fault == "error500":
                return Response("<html>Internal Server Error</html>", 500)
            if self.fault == "garbled":
                return Response("{not json", 200, mimetype="application/json")
            return None

        @app.post("/crm/v2/orders")
        def create_order() -> Any:
            body = request.get_json(silent=True) or {}
            ref, lines = body.get("orderRef"), body.get("lines") or []
            if not ref or not lines:
                return jsonify(errorText="orderRef and lines are required"), 400
            if any("bad" in str(line.get("sku")) for line in lines):
                return jsonify(errorText="unknown sku"), 422
            with self.lock:
                self.received.append(body)
                self.idempotency_keys.append(request.headers.get("Idempotency-Key"))
                if ref in self.orders:
                    return jsonify(crmId=self.orders[ref]["crmId"], known=True), 200
                crm_id = f"CRM-{len(self.orders) + 1:05d}"
                self.orders[ref] = {**body, "crmId": crm_id,
                                    "lines": [{**line, "lineStatus": "OPEN"} for line in lines]}
                if self.promise:
                    self.orders[ref]["promisedDate"] = self.promise
                    return jsonify(crmId=crm_id, promisedDate=self.promise), 201
            return jsonify(crmId=crm_id), 201

        @app.post("/crm/v2/orders/<ref>/cancel")
        def cancel_order(ref: str) -> Any:
            with self.lock:
                order = self.orders.get(ref)
                if order is None:
                    return jsonify(errorText="no such order"), 404
                if any("nocancel" in line["sku"] for line in order["lines"]):
                    return jsonify(errorText="already dispatched"), 409
                for line in order["lines"]:
                    if line["lineStatus"] not in FINAL:
                        line["lineStatus"] = "CXL"
            return jsonify(cancelled=True), 200

        @app.post("/crm/v2/feasibility")
        def feasibility() -> Any:
            body = request.get_json(silent=True) or {}
            if not body.get("sku"):
                return jsonify(errorText="sku is required"), 400
            if "nofeas" in str(body["sku"]):
                return jsonify(verdict="NOK", why="no coverage at the account's address")
            return jsonify(verdict="OK")

        @app.put("/crm/v2/accounts/<ref>")
        def put_account(ref: str) -> Any:
            body = request.get_json(silent=True) or {}
            name = str(body.get("displayName") or "")
            if body.get("accountRef") != ref or not name:
                return jsonify(errorText="accountRef and displayName are required"), 400
            if "refused" in name.lower():
                return jsonify(errorText="display name fails the naming policy"), 422
            with self.lock:
                self.account_writes.append(body)
                known = self.accounts.get(ref)
                number = known["accountNo"] if known else f"ACC-{len(self.accounts) + 1:05d}"
                self.accounts[ref] = {**body, "accountNo": number}
            return jsonify(accountNo=number), 200 if known else 201

        @app.delete("/crm/v2/accounts/<ref>")
        def delete_account(ref: str) -> Any:
            with self.lock:
                if self.accounts.pop(ref, None) is None:
                    return jsonify(errorText="no such account"), 404
            return "", 204

        @app.get("/crm/v2/accounts/<key>")
        def get_account(key: str) -> Any:
            with self.lock:
                account = self.accounts.get(key) or next(
                    (a for a in self.accounts.values() if a["accountNo"] == key), None)
            if account is None:
                return jsonify(errorText="no such account"), 404
            return jsonify(account)

        @app.get("/crm/v2/feed")
        def feed() -> Any:
            after = int(request.args.get("after", 0))
            with self.lock:
                self.feed_reads.append(after)
                self._advance()
                changes = [e for e in self.events if e["seq"] > after]
                last = self.events[-1]["seq"] if self.events else 0
            return jsonify(changes=changes, next=last)

        return app


def main() -> None:
    """`python adapters/legacy-rest/tests/legacy_crm.py [port]`: the CRM alone, for trying the
    adapter by hand (docs/adapters.md); Ctrl-C stops it."""
    crm = LegacyCrm()
    crm.port = int(sys.argv[1]) if len(sys.argv) > 1 else 8700
    crm.start()
    print(f"legacy CRM listening on {crm.url} (X-Api-Key: {API_KEY})", flush=True)
    assert crm.thread is not None
    try:
        crm.thread.join()
    except KeyboardInterrupt:
        crm.stop()


if __name__ == "__main__":
    main()
