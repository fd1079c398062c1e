"""The "framework limit": a bare Starlette app answering the same shapes as the gateway."""

from __future__ import annotations

import uuid

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


async def create(request: Request) -> JSONResponse:
    body = await request.json()
    body["id"] = uuid.uuid4().hex
    return JSONResponse(body, status_code=201)


async def get(request: Request) -> JSONResponse:
    return JSONResponse({"id": request.path_params["id"], "name": "baseline"})


async def patch(request: Request) -> JSONResponse:
    body = await request.json()
    return JSONResponse({"id": request.path_params["id"], "name": "baseline", **body})


async def listing(request: Request) -> JSONResponse:
    return JSONResponse([{"id": str(n), "name": "baseline"} for n in range(10)])


def create_app() -> Starlette:
    return Starlette(
        routes=[
            Route("/resource", create, methods=["POST"]),
            Route("/resource", listing, methods=["GET"]),
            Route("/resource/{id}", get, methods=["GET"]),
            Route("/resource/{id}", patch, methods=["PATCH"]),
        ]
    )
