"""The tables `bench/run.py` prints: the machine, the measured rows, CPU by layer."""

from __future__ import annotations

import argparse
import os
import platform
from pathlib import Path


def machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}"


def print_table(command: str, args: argparse.Namespace, rows: list[dict]) -> None:
    print(f"\n$ {command}")
    print(
        f"  {machine()}; {args.customers:,} customers and {args.orders:,} product orders stored;"
        f" {args.workers} worker(s) x {args.threads or 'default'} threads, {args.app},"
        f" background jobs {args.background}; wrk on the same machine\n"
    )
    header = (
        f"{'scenario':<50}{'req/s':>9}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}"
        f"{'CPU':>6}{'RSS MB':>8}{'vs base':>9}{'non2xx':>8}{'split':>8}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row['scenario']:<50}{row['rps']:>9,.0f}{row['p50_ms']:>9.1f}{row['p90_ms']:>9.1f}"
            f"{row['p99_ms']:>9.1f}{row['cpu_cores']:>6.2f}{row['peak_rss_mb_per_process']:>8.0f}"
            f"{row.get('ratio_to_baseline', 1.0):>9.3f}{row['non_2xx']:>8}"
            f"{row.get('split', '-'):>8}"
        )


def print_layers(layers: dict[str, dict[str, float]]) -> None:
    """CPU samples of one worker by layer, one column per profiled scenario."""
    if not layers:
        return
    names = sorted({layer for share in layers.values() for layer in share})
    print("\nPython CPU (GIL held) of one worker by layer, % of py-spy --gil samples")
    for label, share in layers.items():
        print(f"\n  {label}")
        for name in sorted(names, key=lambda n: -share.get(n, 0.0)):
            if share.get(name, 0.0) >= 0.005:
                print(f"    {name:<36}{share[name] * 100:>6.1f}%")
