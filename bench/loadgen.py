"""Running wrk against a loopback URL and reading its figures; process CPU and peak RSS."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass
class LoadResult:
    requests_per_s: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    non_2xx: int


def require_wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise SystemExit("wrk is not installed: `apt-get install -y wrk` (make bench does it)")
    return path


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if not match:
        raise ValueError(f"unexpected latency '{text}'")
    return float(match.group(1)) * _UNITS[match.group(2)]


def run_wrk(
    url: str, seconds: int, connections: int, script: str | None = None, body: str = ""
) -> LoadResult:
    """Bounded load on one loopback URL; refuses anything but 127.0.0.1."""
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError("load is only ever aimed at 127.0.0.1")
    command = [require_wrk(), "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script:
        command += ["-s", str(HERE / script)]
    command.append(url)
    out = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, "BODY": body}, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    pct = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)", out, re.M))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return LoadResult(
        rps, _ms(pct["50"]), _ms(pct["90"]), _ms(pct["99"]), int(non_2xx.group(1)) if non_2xx else 0
    )


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    """A process and its worker children (uvicorn workers run as children)."""
    found = [pid]
    task_dir = Path(f"/proc/{pid}/task")
    for task in task_dir.iterdir():
        path = task / "children"
        if path.exists():
            found += [int(c) for c in path.read_text().split()]
    return found
