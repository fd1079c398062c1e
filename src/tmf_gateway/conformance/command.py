"""`tmf-gateway conformance`: arguments, the run (Schemathesis, then TMF checks), exit code."""

from __future__ import annotations

import argparse
import base64
import json
import sys
from pathlib import Path

from .probe import Probe
from .profiles import PROFILES
from .report import Report, markdown, summary, write_junit
from .tmf_checks import run_tmf_checks


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--api", required=True, choices=sorted(PROFILES), help="TMF API to test")
    parser.add_argument("--base-url", required=True,
                        help="API root, e.g. http://host:8080/tmf-api/customerManagement/v4")
    parser.add_argument("--spec", type=Path, help="OpenAPI file (default: the gateway's own)")
    parser.add_argument("--auth", help="'user:password' (HTTP Basic) or 'Scheme credentials', "
                        "e.g. 'Bearer abc' (sent as the Authorization header)")
    parser.add_argument("-H", "--header", action="append", default=[], metavar="'NAME: VALUE'",
                        help="extra request header, repeatable (e.g. an API key)")
    parser.add_argument("--sample", type=Path,
                        help="JSON file with a valid create body (default: built into the profile)")
    parser.add_argument("--max-examples", type=int, default=20,
                        help="Schemathesis examples per operation and phase (default 20)")
    parser.add_argument("--time-budget", type=int, default=120,
                        help="seconds for the Schemathesis run (default 120)")
    parser.add_argument("--seed", type=int, help="Schemathesis seed, to reproduce a run")
    parser.add_argument("--workers", type=int, default=1, help="Schemathesis workers (default 1)")
    parser.add_argument("--read-only", action="store_true",
                        help="send only safe requests (GET): nothing is created, changed or "
                        "deleted, for production endpoints")
    parser.add_argument("--report-dir", type=Path, default=Path("conformance-reports"),
                        help="where reports go (default ./conformance-reports)")
    parser.add_argument("--junit", type=Path, help="JUnit XML file (default REPORT_DIR/"
                        "conformance-<api>.xml)")
    parser.add_argument("--markdown", type=Path, help="Markdown report (default REPORT_DIR/"
                        "conformance-<api>.md)")


def headers_from(auth: str | None, extra: list[str]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for item in extra:
        name, sep, value = item.partition(":")
        if not sep or not name.strip():
            print(f"tmf-gateway conformance: bad --header {item!r} (want 'Name: value')",
                  file=sys.stderr)
            raise SystemExit(2)
        headers[name.strip()] = value.strip()
    if auth:
        if " " in auth.strip():
            headers["Authorization"] = auth.strip()
        else:
            token = base64.b64encode(auth.encode()).decode()
            headers["Authorization"] = f"Basic {token}"
    return headers


def run(args: argparse.Namespace) -> int:
    from .schemathesis_run import Budget, run_schemathesis  # the conformance extra

    profile = PROFILES[args.api]
    spec = args.spec or profile.default_spec
    base_url = args.base_url.rstrip("/")
    headers = headers_from(args.auth, args.header)
    sample = json.loads(args.sample.read_text()) if args.sample else None
    budget = Budget(args.max_examples, args.time_budget, args.seed, args.workers)

    def progress(line: str) -> None:
        print(line, flush=True)

    probe = Probe(profile, base_url, headers, sample)
    ownership = probe.ownership  # Schemathesis and the TMF checks: one list, one cleanup
    ownership.read_only = args.read_only
    mode = "read-only: GET only" if args.read_only else "stateful through links"
    progress(f"{profile.api}: testing {base_url} against {spec}")
    progress(f"Schemathesis (all checks, {mode}; "
             f"{budget.max_examples} examples, {budget.time_budget}s budget)")
    try:
        results = run_schemathesis(profile, spec, base_url, headers, budget, progress,
                                   ownership, args.read_only)
        progress("TMF checks (TMF630 rules and the conformance profile)")
        results += run_tmf_checks(probe, progress, read_only=args.read_only)
    finally:
        ownership.cleanup(probe.session, progress, profile.retire)

    report = Report(profile.api, base_url, str(spec), results)
    junit = args.junit or args.report_dir / f"conformance-{profile.api.lower()}.xml"
    md = args.markdown or args.report_dir / f"conformance-{profile.api.lower()}.md"
    write_junit(report, junit)
    md.parent.mkdir(parents=True, exist_ok=True)
    md.write_text(markdown(report))
    sys.stdout.write(summary(report))
    print(f"JUnit XML: {junit}\nMarkdown report: {md}", flush=True)
    return 0 if report.conformant else 1
