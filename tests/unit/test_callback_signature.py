"""Callback signatures: the body and the time are signed, old ones expire, repeats are known."""

from __future__ import annotations

import pytest

from tmf_gateway.errors import BadSignature
from tmf_gateway.services.callback import SignatureCheck, sign
from tmf_gateway.storage.memoryside import MemoryCallbackLog

SECRET, BODY, T0 = b"shared", b'{"changes": []}', 1_800_000_000


class Clock:
    def __init__(self) -> None:
        self.now = float(T0)

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def log() -> MemoryCallbackLog:
    return MemoryCallbackLog()


@pytest.fixture
def check(clock, log) -> SignatureCheck:
    return SignatureCheck(log, tolerance=300, clock=clock)


def test_a_callback_counts_as_received_only_once_applied(check):
    header = sign(SECRET, BODY, T0)
    assert check.verify(SECRET, BODY, header).repeated is False
    assert check.verify(SECRET, BODY, header).repeated is False  # a failed first try: not kept
    check.remember(check.verify(SECRET, BODY, header))
    assert check.verify(SECRET, BODY, header).repeated is True


def test_the_same_body_signed_at_another_time_is_a_new_callback(check):
    check.remember(check.verify(SECRET, BODY, sign(SECRET, BODY, T0)))
    assert check.verify(SECRET, BODY, sign(SECRET, BODY, T0 + 1)).repeated is False


def test_signatures_expire_with_their_time_and_are_forgotten(check, clock, log):
    header = sign(SECRET, BODY, T0)
    check.remember(check.verify(SECRET, BODY, header))
    clock.now += 301
    with pytest.raises(BadSignature, match="from ours"):
        check.verify(SECRET, BODY, header)
    check.remember(check.verify(SECRET, BODY, sign(SECRET, BODY, int(clock.now))))
    assert len(log) == 1  # the expired one is gone: memory stays bounded


@pytest.mark.parametrize("header", [
    None, "", "garbage", "t=1,sha256=", "sha256=abc", f"t={T0}", f"t=-{T0},sha256=ab",
    f"t={'9' * 40},sha256=ab",
])
def test_malformed_headers_are_bad_signatures(check, header):
    with pytest.raises(BadSignature):
        check.verify(SECRET, BODY, header)
