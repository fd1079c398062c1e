"""`GET /tmf-gateway/v1/customerExport`: the customer inventory streamed as JSON lines or CSV."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from connexion import context as connexion_context

from ..inventory import export
from ..security.access import anonymous, counted_export, scope_address
from ..tmf.schema import ResourceSchema
from . import request
from .resources import Handler

if TYPE_CHECKING:
    from ..gateway import Gateway


def _client() -> str:
    """Who exports, for the access log: the verified client, else anonymous@<address>."""
    token = connexion_context.context.get("token_info") or {}
    return str(token.get("sub") or anonymous(scope_address(request.current_scope())))


def export_handlers(gateway: Gateway) -> dict[str, Handler]:
    # no **kwargs: Connexion would then pass each filter on and log it as undeclared
    def export_customers(format: str = "jsonl") -> Any:
        media_type = export.media_type(format)
        schema = ResourceSchema(gateway.specs["TMF629"]["components"]["schemas"], "Customer")
        # format and filter are checked here, before the 200 goes out: a bad one is a 400
        query = export.parse_filter(
            [(k, v) for k, v in request.query_pairs() if k != "format"], schema
        )
        keep = gateway.settings.fields_keep_identity
        docs = counted_export(
            export.customers(gateway.store, schema, query, keep_identity=keep),
            gateway.services.security.store, _client())
        body = export.chunks(export.lines(docs, format, export.csv_columns(query, keep)))
        return request.streamed(  # a generator, sent on as it is produced
            body, media_type,
            {"Content-Disposition": f'attachment; filename="customers.{format}"'},
        )

    return {"exportCustomers": export_customers}
