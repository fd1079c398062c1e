"""Fast JSON (orjson) with a stdlib fallback where orjson would change the data: integers
beyond 64 bits, which it refuses to write and reads back as floats; and the strict check of
request bodies that keeps hostile JSON (deep nesting, NaN, NUL, lone surrogates) out."""

from __future__ import annotations

import json
import math
import re
from typing import Any

import orjson

_LONG_DIGITS = re.compile(rb"\d{19}")


class JsonRefused(ValueError):
    """A request body we will not accept, with a message for the client."""


def dumps(data: Any) -> str:
    try:
        return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def loads(data: str | bytes) -> Any:
    raw = data.encode() if isinstance(data, str) else data
    if _LONG_DIGITS.search(raw):
        return json.loads(raw)
    return orjson.loads(raw)


def check(raw: bytes, max_depth: int) -> None:
    """Refuse a body no store can hold faithfully: not UTF-8 JSON, nested deeper than
    `max_depth`, numbers out of range (NaN, Infinity, 1e400), NUL or lone surrogates in text.
    orjson parses without Python recursion (its own ceiling is 1024 levels) and refuses NaN,
    Infinity, 1e400 and lone surrogates itself; the walk below has an explicit stack."""
    try:
        document = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        if "recursion" in str(exc) or "depth" in str(exc):
            raise JsonRefused(_too_deep(max_depth)) from None
        if "infinity" in str(exc):
            raise JsonRefused("a number in the body is out of range") from None
        raise JsonRefused(f"the body is not valid JSON: {exc}") from None
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            if depth > max_depth:
                raise JsonRefused(_too_deep(max_depth))
            for key, item in value.items():
                _check_text(key)
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            if depth > max_depth:
                raise JsonRefused(_too_deep(max_depth))
            stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, str):
            _check_text(value)
        elif isinstance(value, float) and not math.isfinite(value):
            raise JsonRefused("a number in the body is out of range")


def deeper_than(document: Any, max_depth: int) -> bool:
    """Whether objects and arrays nest more than `max_depth` levels (no recursion)."""
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > max_depth:
                return True
            items = value.values() if isinstance(value, dict) else value
            stack.extend((item, depth + 1) for item in items)
    return False


def _too_deep(max_depth: int) -> str:
    return f"the body is nested deeper than {max_depth} levels (setting max_json_depth)"


def _check_text(text: str) -> None:
    if "\x00" in text:
        raise JsonRefused("text in the body contains the NUL character (\\u0000)")
