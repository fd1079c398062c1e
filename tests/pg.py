"""Fresh PostgreSQL schemas for tests: the store kit's helper (tmf_gateway.testing.postgres)."""

from tmf_gateway.testing.postgres import ADMIN_URL, fresh_schema

__all__ = ["ADMIN_URL", "fresh_schema"]
