"""Work claims: of several processes only one holds a piece of work until it releases it or
its claim expires, on every store."""

from __future__ import annotations

import threading

from tmf_gateway.ports import WorkClaims, require_side


def test_one_owner_at_a_time_until_released_or_expired(store):
    work = require_side(store, WorkClaims)
    assert work.take("order-submit:1", "a", 30)
    assert not work.take("order-submit:1", "b", 30)  # held by a
    assert work.take("order-submit:1", "a", 30)  # its owner may renew it
    assert work.take("order-submit:2", "b", 30)  # other work is free
    work.release("order-submit:1", "b")  # not b's: nothing happens
    assert not work.take("order-submit:1", "b", 30)
    work.release("order-submit:1", "a")
    assert work.take("order-submit:1", "b", 30)
    assert work.take("order-submit:3", "a", -1)  # a claim that has already expired
    assert work.take("order-submit:3", "b", 30)  # (its owner died): anyone may take it over


def test_of_many_claiming_at_once_exactly_one_gets_it(store):
    work = require_side(store, WorkClaims)
    start, won = threading.Barrier(8), []

    def claim(owner: str) -> None:
        start.wait()
        if work.take("order-submit:race", owner, 30):
            won.append(owner)

    threads = [threading.Thread(target=claim, args=(f"p{n}",)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(won) == 1
