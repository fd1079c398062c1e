"""Generic handlers for a TMF resource collection (list, create, retrieve, patch, delete)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..config import Settings
from ..services.resources import ResourceService
from ..tmf import fields as tmf_fields
from ..tmf import patch as tmf_patch
from ..tmf.paging import page_headers
from ..tmf.query import parse_query
from ..tmf.schema import ResourceSchema
from . import request

Handler = Callable[..., Any]


def etag(version: int) -> dict[str, str]:
    return {"ETag": f'"{version}"'}


def resource_handlers(
    service: ResourceService, schema: ResourceSchema, settings: Settings
) -> dict[str, Handler]:
    """Handlers keyed by action; the API table maps official operationIds onto them."""

    def list_() -> Any:
        params = request.query_pairs()
        query = parse_query(params, schema, settings.default_limit, settings.max_limit)
        page = service.list(query)
        keep = settings.fields_keep_identity
        items = [tmf_fields.select(doc, query.fields, keep) for doc in page.items]
        status, headers = page_headers(
            request.collection_url(), params, query.offset, query.limit, len(items), page.total
        )
        return items, status, headers

    def create(body: dict[str, Any]) -> Any:
        stored = service.create(body, request.caller(settings.public_url))
        return stored.doc, 201, {"Location": stored.doc["href"], **etag(stored.version)}

    def retrieve(id: str, fields: str | None = None) -> Any:
        stored = service.get(id)
        wanted = tuple(f.strip() for f in fields.split(",") if f.strip()) if fields else None
        selected = tmf_fields.select(stored.doc, wanted, settings.fields_keep_identity)
        return selected, 200, etag(stored.version)

    def patch(id: str, body: Any = None) -> Any:
        media = tmf_patch.media_type(request.header("Content-Type"))
        stored = service.patch(
            id, body, media, request.header("If-Match"), request.caller(settings.public_url)
        )
        return stored.doc, 200, etag(stored.version)

    def delete(id: str) -> Any:
        service.delete(id, request.header("If-Match"), request.caller(settings.public_url))
        return None, 204

    return {"list": list_, "create": create, "retrieve": retrieve, "patch": patch, "delete": delete}
