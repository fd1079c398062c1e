"""Fast JSON (orjson) with a stdlib fallback where orjson would change the data: integers
beyond 64 bits, which it refuses to write and reads back as floats."""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

_LONG_DIGITS = re.compile(rb"\d{19}")


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
