"""The small Customer-like test schema: the store kit's (tmf_gateway.testing.things)."""

from tmf_gateway.testing.things import SCHEMAS, THING

__all__ = ["SCHEMAS", "THING"]
