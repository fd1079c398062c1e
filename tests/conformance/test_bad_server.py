"""The conformance tool against a small non-conformant TMF629 server: it reports exactly the
planted defects, each once, and exits non-zero; the same server without defects passes."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from tmf_gateway.cli import main

from .badserver import SPEC, serve_bad

EXPECTED = {
    # planted defect -> (operation, check) the report must name
    "crash_on_bad_input": ("POST /customer", "not_a_server_error"),
    "no_location": ("POST /customer", "create: 201 with Location equal to href"),
    "wrong_total": ("GET /customer", "list: X-Total-Count and X-Result-Count are correct"),
}


def run_tool(root: str, tmp_path) -> int:
    return main([
        "conformance", "--api", "TMF629", "--base-url", root, "--spec", str(SPEC),
        "--max-examples", "10", "--time-budget", "10", "--seed", "3",
        "--report-dir", str(tmp_path),
    ])


def failures(tmp_path) -> list[tuple[str, str]]:
    tree = ET.parse(tmp_path / "conformance-tmf629.xml")
    found = []
    for case in tree.iter("testcase"):
        if case.find("failure") is not None:
            endpoint, _, check = case.get("name", "").partition(": ")
            found.append((endpoint, check))
    return found


@pytest.mark.slow
def test_each_planted_defect_is_reported_once(tmp_path, capsys):
    with serve_bad() as root:
        code = run_tool(root, tmp_path)
    out = capsys.readouterr().out
    assert code == 1
    assert sorted(failures(tmp_path)) == sorted(EXPECTED.values()), out[-4000:]
    assert "NOT CONFORMANT: 3 mandatory check(s) failed" in out
    report = (tmp_path / "conformance-tmf629.md").read_text()
    for endpoint, check in EXPECTED.values():
        assert report.count(f"### {endpoint}: {check}") == 1
    section = report[: report.index("## Optional operations")]
    assert section.count("```sh\ncurl ") == 3  # each failure comes with its reproduction


@pytest.mark.slow
def test_the_same_server_without_defects_passes(tmp_path, capsys):
    with serve_bad(frozenset()) as root:
        code = run_tool(root, tmp_path)
    out = capsys.readouterr().out
    assert code == 0, out[-4000:]
    assert failures(tmp_path) == []
    assert "CONFORMANT" in out
