"""The WSGI bridge under Connexion: whole responses in one piece, streamed ones still streamed."""

from __future__ import annotations

import flask
import pytest
from starlette.testclient import TestClient

from tmf_gateway.api.bridge import STREAM_BATCH, BufferedWSGIBridge


@pytest.fixture
def client():
    app = flask.Flask(__name__)
    app.config["PROPAGATE_EXCEPTIONS"] = True  # as Connexion sets it: its middleware handles them

    @app.post("/echo")
    def echo():
        return {"got": flask.request.get_json(), "query": flask.request.args.get("q")}, 201

    @app.get("/stream")
    def stream():
        def rows():
            for n in range(5):
                yield f"{n}:".encode() + b"x" * STREAM_BATCH  # larger than one batch each

        return flask.Response(rows(), mimetype="application/x-ndjson")

    @app.get("/fails")
    def fails():
        raise RuntimeError("boom")

    def lazy(environ, start_response):
        """A WSGI app that starts its response only when iterated, as PEP 3333 allows."""
        yield b""
        start_response("202 Accepted", [("Content-Type", "text/plain")])
        yield b"late"

    bridge = BufferedWSGIBridge(app.wsgi_app, workers=2)
    inner = bridge.app

    async def routed(scope, receive, send):
        bridge.app = lazy if scope.get("path") == "/lazy" else inner
        await bridge(scope, receive, send)

    with TestClient(routed, raise_server_exceptions=True) as test_client:
        yield test_client


def test_a_whole_response_keeps_status_headers_body_and_sees_the_request(client):
    response = client.post("/echo?q=1", json={"a": [1, 2]})
    assert response.status_code == 201
    assert response.json() == {"got": {"a": [1, 2]}, "query": "1"}
    assert int(response.headers["content-length"]) == len(response.content)


def test_a_streamed_response_arrives_whole_without_a_length(client):
    response = client.get("/stream")
    assert response.status_code == 200
    assert "content-length" not in response.headers
    assert response.content == b"".join(
        f"{n}:".encode() + b"x" * STREAM_BATCH for n in range(5)
    )


def test_an_app_that_starts_late_is_served(client):
    response = client.get("/lazy")
    assert (response.status_code, response.content) == (202, b"late")


def test_an_exception_reaches_the_asgi_side(client):
    with pytest.raises(RuntimeError, match="boom"):
        client.get("/fails")
