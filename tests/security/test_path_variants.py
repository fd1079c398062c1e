"""No spelling of a path reaches a handler without authentication: every operation of every
spec, under path variants Flask's router would accept but Connexion's does not (doubled or
trailing slashes, dot segments, control characters, encoded slashes), without credentials:
401 (the variant routed to the operation, and was refused) or a TMF 404, never served."""

from __future__ import annotations

import pytest

from .test_every_operation import OPERATIONS, _call


def _variants(url: str) -> list[str]:
    head, _, tail = url.rpartition("/")
    return ["/" + url, url.replace("/", "//", 2), url.replace("/", "//", 3), url + "/",
            url + "//", f"{head}/./{tail}", f"{head}/x/../{tail}", f"{head}//{tail}",
            f"{head}%2F{tail}", url + "%0A", url + "%00", url + "?x=%00"]


@pytest.mark.parametrize(("method", "url", "scope"), OPERATIONS)
def test_no_path_variant_skips_authentication(secure_client, method, url, scope):
    for variant in _variants(url):
        response = _call(secure_client, method, variant, {})
        assert response.status_code in (400, 401, 404, 405), (variant, response.status_code)
        assert response.json()["@type"] == "Error", variant
