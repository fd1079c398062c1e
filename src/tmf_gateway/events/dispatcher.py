"""The outbox dispatcher: one object for the worker loop and the operators, made of small parts.

| part (module)                        | its one job                                           |
|--------------------------------------|-------------------------------------------------------|
| `OutboxFanOut` (fanout.py)           | outbox -> a delivery row per matching subscription    |
| `DeliveryWorker` (worker.py)         | post due deliveries, record attempts, back off, park  |
| `BrokerFeed` (broker.py)             | outbox -> message broker, in order (optional)         |
| `DeliveryOperations` (operations.py) | backlog, deliveries, attempts, replay for operators   |

`Dispatcher` keeps the method names its callers use (`pump`, `run_until_idle`, `close`,
`deliveries`, `attempts`, `replay`, `backlog`, ...) and only delegates; events/setup.py
`build_dispatcher` builds the parts and hands them to it.
"""

from __future__ import annotations

import time

from ..ports import Delivery, DeliveryAttempt
from .broker import BrokerFeed, Publisher
from .delivery import RetryPolicy
from .fanout import OutboxFanOut
from .operations import DeliveryOperations
from .routes import BROKER_CURSOR, FANOUT_CURSOR, HubRoute
from .worker import DeliveryWorker

__all__ = ["BROKER_CURSOR", "FANOUT_CURSOR", "Dispatcher", "HubRoute", "Publisher"]


class Dispatcher:
    """One per process. `pump()` is cheap and non-blocking: run it often (background job)."""

    def __init__(
        self,
        fanout: OutboxFanOut,
        worker: DeliveryWorker,
        operations: DeliveryOperations,
        broker: BrokerFeed | None = None,
    ) -> None:
        self.fanout, self.worker, self.operations, self.broker = fanout, worker, operations, broker

    @property
    def policy(self) -> RetryPolicy:
        return self.worker.policy

    # the worker loop

    def pump(self) -> int:
        """Publish, fan out, then start delivering what is due; how many deliveries started."""
        if self.broker is not None:
            self.broker.publish_quietly()
        self.fanout.catch_up()
        return self.worker.start_due()

    def fan_out(self, batch: int = 500) -> int:
        return self.fanout.fan_out(batch)

    def publish_to_broker(self, batch: int = 500) -> int:
        if self.broker is None:
            raise RuntimeError("no broker publisher is configured (broker_url)")
        return self.broker.publish(batch)

    def idle(self) -> bool:
        return self.worker.idle()

    def run_until_idle(self, timeout: float = 30.0, settle: float = 0.0) -> None:
        """Pump until nothing is due or in flight (tests, CLI); later retries stay pending."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            started = self.pump()
            if started == 0 and self.idle():
                if settle <= 0:
                    return
                time.sleep(settle)
                if self.pump() == 0 and self.idle():
                    return
            time.sleep(0.005)
        raise TimeoutError(f"the dispatcher was still busy after {timeout} s")

    def close(self) -> None:
        self.worker.close()
        if self.broker is not None:
            self.broker.close()

    # the operators' read model

    def backlog(self) -> dict[str, int]:
        return self.operations.backlog()

    def replay(
        self, delivery_ids: list[int] | None = None, subscription_id: str | None = None
    ) -> int:
        return self.operations.replay(delivery_ids, subscription_id)

    def deliveries(self, status: str | None = None, subscription_id: str | None = None,
                   limit: int = 100, offset: int = 0) -> list[Delivery]:
        return self.operations.deliveries(status, subscription_id, limit, offset)

    def attempts(self, delivery_id: int) -> list[DeliveryAttempt]:
        return self.operations.attempts(delivery_id)
