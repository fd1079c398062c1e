"""Schemathesis, as a library, against a live server: every check, all phases, deduplicated."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import schemathesis
from schemathesis.engine import events, from_schema
from schemathesis.reporting.recorders import grouped_failures_from_recorder, unique_labels

from .profiles import Profile, operation_key
from .results import CheckResult, Outcome

Progress = Callable[[str], None]
MISSING_STATUSES = (404, 405, 501)


@dataclass(frozen=True)
class Budget:
    max_examples: int = 20
    time_budget: int = 60  # seconds for the whole Schemathesis run
    seed: int | None = None
    workers: int = 1


def build_config(base_url: str, headers: dict[str, str], budget: Budget) -> schemathesis.Config:
    """The same settings a `schemathesis.toml` would hold: every check and every phase."""
    data: dict = {
        "base-url": base_url,
        "headers": headers,
        "workers": budget.workers,
        "max-time": budget.time_budget,
        "checks": {"enabled": True},
        "generation": {"max-examples": budget.max_examples, "mode": "all"},
        "phases": {
            name: {"enabled": True} for name in ("examples", "coverage", "fuzzing", "stateful")
        },
    }
    if budget.seed is not None:
        data["seed"] = budget.seed
    return schemathesis.Config.from_dict(data)


def _check_name(failure: Exception) -> str:
    checks = getattr(type(failure), "checks", ())
    return checks[0] if checks else str(getattr(failure, "title", type(failure).__name__))


def _endpoint(failure: Exception, fallback: str) -> str:
    return getattr(failure, "operation", None) or fallback


def run_schemathesis(
    profile: Profile,
    spec: Path,
    base_url: str,
    headers: dict[str, str],
    budget: Budget,
    progress: Progress = print,
) -> list[CheckResult]:
    """Run Schemathesis: a result per (check, endpoint) failure, a pass per clean endpoint."""
    config = build_config(base_url, headers, budget)
    schema = schemathesis.openapi.from_path(str(spec), config=config)
    failed: dict[tuple[str, str], CheckResult] = {}
    tested: set[str] = set()
    errors: list[CheckResult] = []
    rounds: dict[str, int] = {}
    for event in from_schema(schema).execute():
        if isinstance(event, events.PhaseStarted):
            phase = event.phase.name.value
            rounds[phase] = rounds.get(phase, 0) + 1
            progress(f"  schemathesis: {phase} phase" + (
                f" (round {rounds[phase]})" if rounds[phase] > 1 else ""))
        elif isinstance(event, events.ScenarioFinished | events.FuzzScenarioFinished):
            tested.update(unique_labels(event.recorder))
            for group in grouped_failures_from_recorder(event.recorder):
                for failure in group.failures:
                    result = _failure_result(profile, failure, group, event.recorder.label)
                    key = (result.name, result.endpoint)
                    if key not in failed:
                        failed[key] = result
                        progress(f"  ! {result.endpoint}: {result.name} ({result.requirement})")
        elif isinstance(event, events.NonFatalError | events.FatalError):
            message = (
                event.info.format(base_url_is_set=True)
                if isinstance(event, events.NonFatalError)
                else repr(event.exception)
            )
            errors.append(
                CheckResult(
                    name="schemathesis_error",
                    source="schemathesis",
                    operation="run",
                    requirement="mandatory",
                    outcome=Outcome.FAILED,
                    message=message.strip(),
                    endpoint=getattr(event, "label", "run"),
                )
            )
            progress(f"  ! schemathesis error: {message.strip().splitlines()[0][:120]}")
        elif isinstance(event, events.EngineFinished):
            progress(f"  schemathesis: done in {event.running_time:.1f}s ({event.stop_reason})")
    passed = [
        CheckResult(
            name="schemathesis (all checks)",
            source="schemathesis",
            operation=operation_key(*label.split(" ", 1)),
            requirement=profile.requirement(operation_key(*label.split(" ", 1))),
            outcome=Outcome.PASSED,
            endpoint=label,
        )
        for label in sorted(tested)
        if " " in label and not any(endpoint == label for _, endpoint in failed)
    ]
    return errors + list(failed.values()) + passed


def _is_tmf_business_refusal(group) -> bool:
    response = group.response
    if response is None or response.status_code != 400:
        return False
    try:
        body = json.loads(response.content)
    except ValueError:
        return False
    return isinstance(body, dict) and {"code", "reason"} <= set(body)


def _failure_result(profile: Profile, failure, group, fallback: str) -> CheckResult:
    endpoint = _endpoint(failure, fallback)
    method, _, path = endpoint.partition(" ")
    curl = group.code_sample or ""
    content_type = "json-patch" if "json-patch+json" in curl else None
    operation = operation_key(method, path, content_type)
    requirement = profile.requirement(operation)
    status = group.response.status_code if group.response is not None else None
    outcome = Outcome.FAILED
    if requirement == "optional" and status in MISSING_STATUSES:
        outcome = Outcome.MISSING
    message = f"{failure.title}: {failure.message}".strip()
    if _check_name(failure) == "positive_data_acceptance" and _is_tmf_business_refusal(group):
        # TMF specs declare 400 with an Error body for business-rule refusals (e.g. unique item
        # ids, unknown references) that no JSON Schema can state: reported, but not blocking
        requirement = "optional"
        message = "business-rule refusal of schema-valid data (TMF Error 400); " + message
    if group.response is not None:
        body = group.response.content[:300].decode("utf-8", "replace").strip()
        message += f"\n(response status {status}: {body or 'empty body'})"
    return CheckResult(
        name=_check_name(failure),
        source="schemathesis",
        operation=operation,
        requirement=requirement,
        outcome=outcome,
        message=message,
        curl=curl,
        endpoint=endpoint,
    )
