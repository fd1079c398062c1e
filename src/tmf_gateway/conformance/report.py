"""The three outputs of a run: a terminal summary, JUnit XML for CI, a Markdown report."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .results import CheckResult, Outcome


@dataclass
class Report:
    api: str
    base_url: str
    spec: str
    results: list[CheckResult]

    @property
    def blocking(self) -> list[CheckResult]:
        return [r for r in self.results if r.blocking]

    @property
    def conformant(self) -> bool:
        return not self.blocking

    def of(self, outcome: Outcome, requirement: str | None = None) -> list[CheckResult]:
        return [
            r for r in self.results
            if r.outcome is outcome and (requirement is None or r.requirement == requirement)
        ]


def summary(report: Report) -> str:
    """The terminal table: one line per operation, then each problem, then the verdict."""
    lines = [f"\n{report.api} conformance of {report.base_url}", ""]
    lines.append(f"{'operation':<12} {'requirement':<10} {'passed':>6} {'failed':>6} "
                 f"{'missing':>7} {'skipped':>7}")
    rows: dict[tuple[str, str], Counter] = {}
    for r in report.results:
        rows.setdefault((r.operation, r.requirement), Counter())[r.outcome] += 1
    for (operation, requirement), counts in sorted(rows.items()):
        lines.append(
            f"{operation:<12} {requirement:<10} {counts[Outcome.PASSED]:>6} "
            f"{counts[Outcome.FAILED]:>6} {counts[Outcome.MISSING]:>7} {counts[Outcome.SKIPPED]:>7}"
        )
    sections = (
        ("NOT CONFORMANT (mandatory)", report.of(Outcome.FAILED, "mandatory")),
        ("Optional feature non-conformant", report.of(Outcome.FAILED, "optional")),
        ("Optional feature missing", report.of(Outcome.MISSING)),
    )
    for title, results in sections:
        if results:
            lines += ["", f"{title}:"]
            lines += [f"  - [{r.operation}] {r.endpoint}: {r.name}" for r in results]
    verdict = "CONFORMANT" if report.conformant else (
        f"NOT CONFORMANT: {len(report.blocking)} mandatory check(s) failed"
    )
    lines += ["", verdict, ""]
    return "\n".join(lines)


def write_junit(report: Report, path: Path) -> None:
    """One testsuite per source (schemathesis, tmf); optional failures are reported as skipped."""
    root = ET.Element("testsuites", name=f"{report.api} conformance")
    for source in ("schemathesis", "tmf"):
        results = [r for r in report.results if r.source == source]
        suite = ET.SubElement(
            root, "testsuite", name=f"{report.api}.{source}", tests=str(len(results)),
            failures=str(sum(r.blocking for r in results)),
            skipped=str(sum(not r.blocking and r.outcome is not Outcome.PASSED for r in results)),
        )
        for r in results:
            case = ET.SubElement(
                suite, "testcase", classname=f"{report.api}.{source}.{r.operation}",
                name=f"{r.endpoint}: {r.name}" if r.endpoint else r.name,
            )
            detail = f"{r.message}\n\nReproduce:\n{r.curl}" if r.curl else r.message
            if r.blocking:
                ET.SubElement(case, "failure", message=r.name).text = detail
            elif r.outcome is not Outcome.PASSED:
                label = (
                    "optional: " + r.outcome.value if r.requirement == "optional" else r.outcome
                )
                ET.SubElement(case, "skipped", message=f"{label}: {r.message[:200]}")
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def markdown(report: Report) -> str:
    verdict = "conformant" if report.conformant else "**not conformant**"
    out = [
        f"# {report.api} conformance report",
        "",
        f"- Server: `{report.base_url}`",
        f"- Specification: `{report.spec}`",
        f"- Verdict: {verdict} ({len(report.blocking)} mandatory failure(s), "
        f"{len(report.of(Outcome.FAILED, 'optional'))} optional failure(s), "
        f"{len(report.of(Outcome.MISSING))} optional feature(s) missing, "
        f"{len(report.of(Outcome.PASSED))} passed)",
        "",
    ]
    sections = (
        ("Not conformant: mandatory checks that failed", report.of(Outcome.FAILED, "mandatory")),
        ("Optional operations that misbehave", report.of(Outcome.FAILED, "optional")),
        ("Optional features missing", report.of(Outcome.MISSING)),
    )
    for title, results in sections:
        out += [f"## {title}", ""]
        if not results:
            out += ["None.", ""]
        for r in results:
            out += [f"### {r.endpoint or r.operation}: {r.name}", "",
                    f"- Operation: {r.operation} ({r.requirement}); found by {r.source}", "",
                    "```text", r.message, "```", ""]
            if r.curl:
                out += ["Reproduce:", "", "```sh", r.curl, "```", ""]
    out += ["## All checks", "", "| operation | requirement | check | outcome |"]
    out.append("|---|---|---|---|")
    for r in report.results:
        name = f"{r.endpoint}: {r.name}" if r.endpoint else r.name
        out.append(f"| {r.operation} | {r.requirement} | {name.replace('|', '/')} | "
                   f"{r.outcome.value} |")
    return "\n".join(out) + "\n"
