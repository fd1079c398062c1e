"""The targets of issue #18 next to what a `bench/run.py` run measured, with the ratio to the
bare Starlette baseline of the same run."""

from __future__ import annotations

# scenario label -> (SQLite target req/s, SQLite target ratio to baseline, PostgreSQL req/s)
THROUGHPUT = {
    "create product order": (1500, 0.08, 1000),
    "get product order by id": (3000, 0.12, 2500),
    "list orders, indexed filter, limit 10": (2000, None, 1500),
    "patch product order (merge)": (1500, None, 1000),
}
P99_MS = {"sqlite": 50.0, "postgresql": 80.0}
RSS_MB = 150.0


def _row(rows: list[dict], store: str, label: str) -> dict | None:
    return next((r for r in rows if r["scenario"] == f"{store}: {label}"), None)


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def print_targets(rows: list[dict]) -> None:
    """One line per target and store: the figure, the target, met or missed."""
    print("\nTargets (issue #18), this run")
    header = f"{'target':<52}{'measured':>22}{'target':>18}{'':>8}"
    print(header)
    print("-" * len(header))
    for store in ("sqlite", "postgresql"):
        measured = [r for r in rows if r.get("store") == store]
        if not measured:
            continue
        for label, (rps, ratio, pg_rps) in THROUGHPUT.items():
            row = _row(rows, store, label)
            if row is None:
                continue
            want = rps if store == "sqlite" else pg_rps
            ok = row["rps"] >= want
            text = f"{row['rps']:,.0f}/s"
            goal = f">= {want:,}/s"
            if store == "sqlite" and ratio is not None:
                text += f" ({row['ratio_to_baseline']:.3f})"
                goal += f" ({ratio})"
                ok = ok and row["ratio_to_baseline"] >= ratio
            print(f"{store + ': ' + label:<52}{text:>22}{goal:>18}{_verdict(ok):>8}")
        worst = max(r["p99_ms"] for r in measured)
        print(f"{store + ': p99 at the run connections (worst)':<52}{worst:>19.1f} ms"
              f"{'<= ' + str(P99_MS[store]) + ' ms':>18}{_verdict(worst <= P99_MS[store]):>8}")
        rss = max(r["peak_rss_mb_per_process"] for r in measured)
        print(f"{store + ': RSS per worker (peak)':<52}{rss:>19.0f} MB"
              f"{'<= 150 MB':>18}{_verdict(rss <= RSS_MB):>8}")
