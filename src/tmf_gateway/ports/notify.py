"""The notifier port: telling customers about their orders."""

from __future__ import annotations

from typing import Protocol


class Notifier(Protocol):
    """Tells a customer about their order: acknowledged, in jeopardy, completed
    (services/notices.py decides what and to whom; the built-in sends email over SMTP)."""

    def send(self, to: str, subject: str, text: str) -> None:
        """Hand one notice over for delivery to the address `to`. SouthboundUnavailable when
        it could not be handed over (the notice is tried again), SouthboundRejected when the
        address is refused (it is skipped)."""
        ...
