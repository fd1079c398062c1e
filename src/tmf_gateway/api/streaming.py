"""Response validation for streamed JSON lines, one line at a time.

Connexion's JSON validator matches `application/x-ndjson` (`*/*json`) and would buffer the whole
body to parse it as one document; this one checks each line against the response schema as it
passes, so validation stays on in the tests without holding an export in memory.
"""

from __future__ import annotations

import json
from typing import Any

from connexion.datastructures import MediaTypeDict
from connexion.exceptions import NonConformingResponseBody
from connexion.validators import VALIDATOR_MAP, JSONResponseBodyValidator
from jsonschema import ValidationError
from starlette.types import Message, Send

NDJSON = "application/x-ndjson"


class NdjsonResponseBodyValidator(JSONResponseBodyValidator):
    """Each complete line must be a JSON document valid against the schema."""

    def _check(self, line: bytes) -> None:
        if not line.strip():
            return
        try:
            document = json.loads(line.decode(self._encoding))
        except ValueError as exc:
            raise NonConformingResponseBody(f"a line is not JSON: {exc}") from exc
        try:
            self.validator.validate(document)
        except ValidationError as exc:
            raise NonConformingResponseBody(
                detail=f"a line does not conform to specification: {exc.message}"
            ) from exc

    def wrap_send(self, send: Send) -> Send:
        pending = b""

        async def send_(message: Message) -> None:
            nonlocal pending
            if message["type"] == "http.response.body":
                *complete, pending = (pending + message.get("body", b"")).split(b"\n")
                for line in complete:
                    self._check(line)
                if not message.get("more_body", False):
                    self._check(pending)
            await send(message)

        return send_


def validator_map() -> dict[str, Any]:
    """Connexion's validators plus ours, for `add_api(validator_map=...)`."""
    from .validators import request_validators

    validators = {**VALIDATOR_MAP["response"], NDJSON: NdjsonResponseBodyValidator}
    return {"response": MediaTypeDict(validators), **request_validators()}
