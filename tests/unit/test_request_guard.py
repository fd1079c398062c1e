"""The request guard's rules without a server: which paths, bodies and queries it refuses."""

from __future__ import annotations

import pytest

from tmf_gateway.api.guard import RequestGuard, check_body, check_path
from tmf_gateway.errors import BadRequest, InvalidQuery, NotFound, UnsupportedMediaType


@pytest.mark.parametrize("path", ["//a/b", "/a//b", "/a/b/", "/a/./b", "/a/../b", "/a/b/..",
                                  "/a/b\n", "/a/\x00"])
def test_odd_paths_are_404(path):
    with pytest.raises(NotFound):
        check_path(path)


@pytest.mark.parametrize("path", ["/", "/a/b", "/tmf-api/customerManagement/v4/ui/", "/a/b.c"])
def test_canonical_paths_pass(path):
    check_path(path)


def test_the_depth_limit_is_the_configured_one():
    check_body(b'{"a":{"b":{}}}', "application/json", 3)
    with pytest.raises(BadRequest, match="deeper than 2"):
        check_body(b'{"a":{"b":{}}}', "application/merge-patch+json; charset=utf-8", 2)


def test_a_body_needs_a_content_type_and_only_json_is_checked_here():
    with pytest.raises(UnsupportedMediaType):
        check_body(b"{}", "", 10)
    check_body(b"<xml/>", "application/xml", 10)  # Connexion answers 415 for it


def test_queries_with_nul_or_too_many_values_are_refused():
    guard = RequestGuard(None, max_body=0, max_depth=10, max_filter_values=3)  # type: ignore[arg-type]
    guard.check_query(b"name.in=a,b,c&fields=x,y,z,w&limit=5")  # fields and paging not counted
    with pytest.raises(InvalidQuery, match="max_filter_values"):
        guard.check_query(b"name.in=a,b&status=c,d")
    with pytest.raises(InvalidQuery, match="'name'"):
        guard.check_query(b"name=%00")
    with pytest.raises(InvalidQuery, match="UTF-8"):
        guard.check_query(b"name=%ed%a0%80")  # a lone surrogate, percent-encoded
