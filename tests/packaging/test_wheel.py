"""The product as a new user gets it: built wheels installed with their real dependencies into a
fresh virtualenv, with no extras, and run from an empty directory outside the checkout."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.livesrv import free_port

ROOT = Path(__file__).resolve().parents[2]
ADAPTERS = ("legacy-rest", "amqp")  # separate distributions, built and installed the same way
CUSTOMERS = "/tmf-api/customerManagement/v4/customer"


def _run(*command: str | Path, cwd: Path, env: dict[str, str] | None = None,
         check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True,
                            text=True, timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"{command} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv bin dir, empty working directory, clean environment) of an installed gateway."""
    base = tmp_path_factory.mktemp("wheel")
    dist = base / "dist"
    # sdist first, then the wheel built from the sdist: both must carry everything
    _run(sys.executable, "-m", "build", "--outdir", dist, ROOT, cwd=base)
    venv = base / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=base)
    python = venv / "bin" / "python"
    # real dependency resolution and install (pip's cache makes it quick), no extras
    pip = (sys.executable, "-m", "pip", "--python", python, "install", "--quiet",
           "--disable-pip-version-check")
    wheel = next(dist.glob("tmf_gateway-*.whl"))
    _run(*pip, wheel, cwd=base)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TMF_GATEWAY_", "PYTHON", "VIRTUAL_ENV"))}
    empty = base / "empty"
    empty.mkdir()
    return venv / "bin", empty, env, pip, dist


def test_cli_runs_from_an_empty_directory(installed):
    bin_dir, empty, env, _, _ = installed
    gateway = bin_dir / "tmf-gateway"
    assert _run(gateway, "--version", cwd=empty, env=env).stdout.startswith("tmf-gateway 0.1.0")
    assert "serve" in _run(gateway, "--help", cwd=empty, env=env).stdout
    assert "--workers" in _run(gateway, "serve", "--help", cwd=empty, env=env).stdout
    plugins = _run(gateway, "plugins", cwd=empty, env=env).stdout
    assert re.search(r"tmf_gateway.southbound +simulator +tmf-gateway 0.1.0", plugins)
    assert "sqlite" in plugins
    migrated = _run(gateway, "migrate", cwd=empty, env=env)
    assert "(head)" in migrated.stdout
    assert migrated.stderr == ""  # no warnings or tracebacks for the operator to wade through
    assert (empty / "var" / "tmf-gateway.db").exists()


def test_optional_parts_name_their_extra(installed):
    bin_dir, empty, env, _, _ = installed
    gateway = bin_dir / "tmf-gateway"
    conformance = _run(gateway, "conformance", "--api", "TMF629", "--base-url",
                       "http://127.0.0.1:9", cwd=empty, env=env, check=False)
    assert conformance.returncode == 2
    assert conformance.stderr.strip().splitlines()[-1] == (
        "tmf-gateway: this needs the 'conformance' extra (module schemathesis is missing):"
        " pip install 'tmf-gateway[conformance]'"
    )
    assert "Traceback" not in conformance.stderr
    postgres = _run(gateway, "migrate", "--database-url", "postgresql+psycopg://127.0.0.1/test",
                    cwd=empty, env=env, check=False)
    assert postgres.returncode == 2
    assert "pip install 'tmf-gateway[postgres]'" in postgres.stderr
    assert "Traceback" not in postgres.stderr
    traced = _run(gateway, "serve", cwd=empty, env={**env, "TMF_GATEWAY_TRACING": "otlp"},
                  check=False)
    assert (traced.returncode, traced.stderr.strip()) == (2, (
        "tmf-gateway: this needs the 'otel' extra (module opentelemetry is missing):"
        " pip install 'tmf-gateway[otel]'"))


def test_served_request_and_clean_stop(installed):
    bin_dir, empty, env, _, _ = installed
    port = free_port()
    server = subprocess.Popen(
        [bin_dir / "tmf-gateway", "serve", "--port", str(port)], cwd=empty, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                ready = requests.get(f"{base}/health/ready", timeout=2)
                break
            except requests.ConnectionError:
                assert server.poll() is None and time.monotonic() < deadline, "did not start"
                time.sleep(0.2)
        assert ready.status_code == 200, ready.text
        body = {"name": "Ada", "engagedParty": {"id": "p-1", "@referredType": "Individual"}}
        created = requests.post(f"{base}{CUSTOMERS}", json=body, timeout=10)
        assert created.status_code == 201, created.text
        listed = requests.get(f"{base}{CUSTOMERS}", timeout=10)
        assert [c["name"] for c in listed.json()] == ["Ada"]
        # the ops console's templates and static files ship inside the wheel
        console = requests.get(f"{base}/console/orders", timeout=10)
        assert console.status_code == 200 and "<h1>Orders</h1>" in console.text
        for static in ("console.css", "console.js"):
            served = requests.get(f"{base}/console/static/{static}", timeout=10)
            assert served.status_code == 200 and len(served.content) > 100
    finally:
        server.send_signal(signal.SIGTERM)
        _, stderr = server.communicate(timeout=30)
    assert server.returncode == 0, stderr[-2000:]


def test_adapter_distributions_build_and_install_the_same_way(installed):
    bin_dir, empty, env, pip, dist = installed
    for adapter in ADAPTERS:
        source = ROOT / "adapters" / adapter
        _run(sys.executable, "-m", "build", "--wheel", "--outdir", dist, source, cwd=dist)
    wheels = [w for w in dist.glob("*.whl") if not w.name.startswith("tmf_gateway-")]
    assert len(wheels) == len(ADAPTERS)
    _run(*pip, "--find-links", dist, *wheels, cwd=dist)
    plugins = _run(bin_dir / "tmf-gateway", "plugins", cwd=empty, env=env).stdout
    assert "legacy-rest" in plugins and "amqp" in plugins
