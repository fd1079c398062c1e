"""The poll position of a southbound feed, kept in the store so a restart does not re-read it."""

from __future__ import annotations

import logging
from typing import Any

from ..ports import Store

log = logging.getLogger(__name__)


class FeedCursor:
    """Hands the stored position to an adapter once, and stores its position after each poll.

    Adapters without `feed_position`/`resume_feed` (ports.ResumableFeed) are left alone.
    """

    def __init__(self, store: Store, name: str, adapter: Any) -> None:
        self.store, self.name = store, name
        resumable = callable(getattr(adapter, "feed_position", None)) and callable(
            getattr(adapter, "resume_feed", None)
        )
        self.adapter = adapter if resumable else None
        self._resumed = False
        self._saved: int | None = None

    def resume(self) -> None:
        """Before the first poll: continue where the last run stopped (0 = never stored)."""
        if self.adapter is None or self._resumed:
            return
        with self.store.unit_of_work() as uow:
            position = uow.get_cursor(self.name)
        if position:
            self.adapter.resume_feed(position)
            log.info("southbound feed %s resumed at %s", self.name, position)
        self._saved, self._resumed = position, True

    def save(self) -> None:
        """After a poll's updates were applied: store where the next poll starts."""
        if self.adapter is None:
            return
        position = self.adapter.feed_position()
        if position is None or position == self._saved:
            return
        with self.store.unit_of_work(write=True) as uow:
            uow.set_cursor(self.name, position)
        self._saved = position
