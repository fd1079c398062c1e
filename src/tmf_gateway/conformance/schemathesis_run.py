"""Schemathesis, as a library, against a live server: every check, all phases, deduplicated."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import schemathesis
import yaml
from schemathesis.engine import events, from_schema
from schemathesis.hooks import GLOBAL_HOOK_DISPATCHER
from schemathesis.reporting.recorders import grouped_failures_from_recorder, unique_labels

from .profiles import Profile, operation_key
from .results import CheckResult, Outcome
from .safety import Ownership, read_only_spec, without_security

Progress = Callable[[str], None]
MISSING_STATUSES = (404, 405, 501)
REFUSALS = "x-schema-valid-refusals"
ACCEPTED_BY_DEFAULT = ("2xx", "3xx", "401", "403", "404", "409", "429", "5xx")


@dataclass(frozen=True)
class Budget:
    max_examples: int = 20
    time_budget: int = 60  # seconds for the whole Schemathesis run
    seed: int | None = None
    workers: int = 1


def build_config(
    base_url: str,
    headers: dict[str, str],
    budget: Budget,
    refusals: list[dict] | None = None,
    read_only: bool = False,
) -> schemathesis.Config:
    """The same settings a `schemathesis.toml` would hold: every check and every phase; the
    operations whose spec documents refusals of schema-valid data expect those statuses too.
    Read-only: the spec holds only safe operations, and nothing sends other methods (the
    coverage phase's unexpected methods, `unsupported_method`, the `Allow` header check)."""
    checks: dict = {"enabled": True}
    coverage: dict = {"enabled": True}
    if read_only:
        checks.update({name: {"enabled": False}
                       for name in ("unsupported_method", "allow_header_conformance")})
        coverage["unexpected-methods"] = []
    data: dict = {
        "base-url": base_url,
        "headers": headers,
        "workers": budget.workers,
        "max-time": budget.time_budget,
        "checks": checks,
        # as schemathesis.toml: U+0000 in text is not schema-valid data worth generating (many
        # stores cannot keep it; our gateway refuses it with a TMF 400 everywhere)
        "generation": {"max-examples": budget.max_examples, "mode": "all", "allow-x00": False},
        "phases": {
            **{name: {"enabled": True} for name in ("examples", "fuzzing", "stateful")},
            "coverage": coverage,
        },
        "operations": refusals or [],
    }
    if budget.seed is not None:
        data["seed"] = budget.seed
    return schemathesis.Config.from_dict(data)


def documented_refusals(raw: dict[str, Any]) -> list[dict[str, Any]]:
    """Operations carrying `x-schema-valid-refusals` (statuses the server answers to schema-valid
    data for business rules no JSON Schema can state): a Schemathesis operations entry each."""
    entries = []
    for item in raw.get("paths", {}).values():
        for op in item.values():
            refusals = op.get(REFUSALS) if isinstance(op, dict) else None
            if refusals and op.get("operationId"):
                statuses = [*ACCEPTED_BY_DEFAULT, *(str(s) for s in refusals.get("statuses", []))]
                entries.append({
                    "include-operation-id": op["operationId"],
                    "checks": {"positive_data_acceptance": {"expected-statuses": statuses}},
                })
    return entries


def load_spec(path: Path) -> dict[str, Any]:
    text = path.read_text()
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


def has_credentials(raw: dict[str, Any], headers: dict[str, str]) -> bool:
    """Whether the run sends credentials the spec's schemes name (a header or Authorization)."""
    sent = {name.lower() for name in headers}
    if "authorization" in sent:
        return True
    schemes = raw.get("components", {}).get("securitySchemes", {})
    return any(
        scheme.get("type") == "apiKey" and str(scheme.get("name", "")).lower() in sent
        for scheme in schemes.values() if isinstance(scheme, dict)
    )


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
    ownership: Ownership | None = None,
    read_only: bool = False,
) -> list[CheckResult]:
    """Run Schemathesis: a result per (check, endpoint) failure, a pass per clean endpoint.
    Unsafe requests act only on resources `ownership` says this run created."""
    raw = load_spec(spec)
    if read_only:
        raw = read_only_spec(raw)
    if not has_credentials(raw, headers):
        progress("  no credentials given: authentication is not tested")
        raw = without_security(raw)
    config = build_config(base_url, headers, budget, documented_refusals(raw), read_only)
    schema = schemathesis.openapi.from_dict(raw, config=config)
    ownership = ownership or Ownership("run", read_only)
    with _guarded(ownership):
        return _execute(profile, schema, progress)


@contextmanager
def _guarded(ownership: Ownership) -> Iterator[None]:
    """Hooks for the run: every unsafe call is checked against what the run created (global
    hooks in Schemathesis, so they are registered only for the run's duration)."""

    def before_call(_context: Any, case: Any, _kwargs: Any) -> None:
        ownership.guard(case.method, case.path, case.path_parameters, case.body)

    def after_call(_context: Any, case: Any, response: Any) -> None:
        try:
            body = response.json()
        except ValueError:
            body = None
        url = str(response.request.url).split("?")[0]
        ownership.record(case.method, case.path, response.status_code, body, url)

    # global, as the engine's phases and checks may call through copies of `schema`
    GLOBAL_HOOK_DISPATCHER.register_hook_with_name(after_call, "after_call")
    GLOBAL_HOOK_DISPATCHER.register_hook_with_name(before_call, "before_call")
    try:
        yield
    finally:
        GLOBAL_HOOK_DISPATCHER.unregister(before_call)
        GLOBAL_HOOK_DISPATCHER.unregister(after_call)


def _execute(profile: Profile, schema: Any, progress: Progress) -> list[CheckResult]:
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
