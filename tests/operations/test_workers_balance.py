"""`serve --workers 2` spreads keep-alive connections over both workers (one SO_REUSEPORT
socket each), where one shared socket let a single worker take all of them."""

from __future__ import annotations

import http.client
import time

import pytest

from tests.operations.test_shutdown import start
from tmf_gateway.testing.sockets import connection_split, listening_sockets

LIVE = "/health/live"


@pytest.mark.slow
@pytest.mark.parametrize("app_class", ["async", "flask"])
def test_connections_reach_every_worker(tmp_path, app_class):
    process, base = start(tmp_path / "gateway.db", TMF_GATEWAY_WORKERS="2",
                          TMF_GATEWAY_APP=app_class)
    port = int(base.rsplit(":", 1)[1])
    connections = []
    try:
        deadline = time.monotonic() + 30
        while len(connection_split(port)) < 2:  # the second worker may still be starting
            assert time.monotonic() < deadline, "two workers never listened"
            time.sleep(0.1)
        sockets = listening_sockets(port)
        assert len(sockets) == 2, sockets  # the workers; the supervisor only reserves the port
        assert len(set().union(*sockets.values())) == 2, sockets  # not one shared socket
        for _ in range(16):  # opened together and kept open, as a load generator does
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", LIVE)
            response = connection.getresponse()
            response.read()
            assert response.status == 200
            connections.append(connection)
        split = connection_split(port)
        assert len(split) == 2 and sum(split.values()) == 16, split
        # one shared socket gave 16/0 most of the time; SO_REUSEPORT hashes each connection
        # (all 16 on one of two sockets: 2 in 65,536)
        assert min(split.values()) >= 1, split
    finally:
        for connection in connections:
            connection.close()
        process.terminate()
        process.wait(timeout=30)
    assert process.returncode == 0
