"""Background jobs keep running through failures, and a long outage does not flood the log."""

from __future__ import annotations

import logging

import pytest

from tmf_gateway.worker import BackgroundRunner


class Flaky:
    """A job whose legacy system is down until told otherwise; like a real driver's, its
    message differs every time (here a count, in urllib3 an object address)."""

    def __init__(self) -> None:
        self.down, self.calls = True, 0

    def __call__(self) -> None:
        self.calls += 1
        if self.down:
            raise ConnectionError(f"legacy system refused connection {self.calls}")


@pytest.fixture
def runner() -> BackgroundRunner:
    return BackgroundRunner(repeat_log_seconds=3600)


def _records(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "tmf_gateway.worker"]


def test_a_failing_job_is_retried_and_does_not_stop_the_others(runner):
    flaky, ran = Flaky(), []
    runner.every(0.5, "poll", flaky)
    runner.every(0.5, "deliver", lambda: ran.append(1))
    for _ in range(3):
        runner.run_pending(force=True)
    assert flaky.calls == 3 and len(ran) == 3


def test_the_same_failure_is_logged_once_with_its_traceback_then_its_recovery(runner, caplog):
    flaky = Flaky()
    runner.every(0.5, "poll", flaky)
    with caplog.at_level(logging.INFO, logger="tmf_gateway.worker"):
        for _ in range(100):
            runner.run_pending(force=True)
        flaky.down = False
        runner.run_pending(force=True)
    first, recovered = _records(caplog)
    assert first.levelno == logging.ERROR and first.exc_info is not None
    assert "background job poll failed" in first.getMessage()
    assert "works again after builtins.ConnectionError" in recovered.getMessage()


def test_a_new_kind_of_failure_is_logged_in_full_again(runner, caplog):
    errors = iter([ConnectionError("refused"), ConnectionError("refused"), TimeoutError("slow")])

    def job() -> None:
        raise next(errors)

    runner.every(0.5, "poll", job)
    with caplog.at_level(logging.INFO, logger="tmf_gateway.worker"):
        for _ in range(3):
            runner.run_pending(force=True)
    assert [r.exc_info[0] for r in _records(caplog)] == [ConnectionError, TimeoutError]


def test_a_lasting_failure_is_reported_again_with_a_count(caplog):
    runner = BackgroundRunner(repeat_log_seconds=0)  # every repeat is due for a report
    runner.every(0.5, "poll", Flaky())
    with caplog.at_level(logging.INFO, logger="tmf_gateway.worker"):
        for _ in range(3):
            runner.run_pending(force=True)
    repeats = _records(caplog)[1:]
    assert [r.levelno for r in repeats] == [logging.WARNING, logging.WARNING]
    assert "still failing (1 more times since last logged)" in repeats[0].getMessage()
    assert repeats[-1].getMessage().endswith("refused connection 3")  # the latest message


def test_a_hanging_job_does_not_hold_the_others_back():
    """Bulkheads: each job has its own thread, so one stuck in a southbound call (here for
    the whole test) does not stop another from running at its interval."""
    import threading
    import time

    released, ran = threading.Event(), []
    runner = BackgroundRunner()
    runner.every(0.01, "order-submit", lambda: released.wait(10))
    runner.every(0.01, "events", lambda: ran.append(time.monotonic()))
    runner.start()
    try:
        time.sleep(0.5)
        assert len(ran) >= 10
    finally:
        released.set()
        runner.stop()
