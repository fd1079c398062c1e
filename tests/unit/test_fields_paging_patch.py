"""Attribute selection, paging headers and PATCH application."""

import pytest

from tmf_gateway.errors import Conflict, InvalidResource, UnsupportedMediaType
from tmf_gateway.tmf import fields, patch
from tmf_gateway.tmf.paging import page_headers

DOC = {
    "id": "1",
    "href": "http://h/x/1",
    "@type": "Thing",
    "name": "n",
    "status": "s",
    "engagedParty": {"id": "p", "role": "r"},
    "contactMedium": [{"mediumType": "email", "characteristic": {"emailAddress": "a@b"}}],
}


def test_fields_returns_exactly_what_was_named_and_ignores_unknown():
    assert fields.select(DOC, ("name", "nosuch")) == {"name": "n"}


def test_fields_keeps_id_href_type_when_asked():
    assert fields.select(DOC, ("name", "nosuch"), keep_identity=True) == {
        "id": "1",
        "href": "http://h/x/1",
        "@type": "Thing",
        "name": "n",
    }


def test_fields_nested_selection():
    selected = fields.select(DOC, ("engagedParty.id", "contactMedium.mediumType"))
    assert selected["engagedParty"] == {"id": "p"}
    assert selected["contactMedium"] == [{"mediumType": "email"}]


def test_no_fields_returns_everything():
    assert fields.select(DOC, None) is DOC


def test_partial_page_is_206_with_counts_and_links():
    status, headers = page_headers("http://h/c", [("status", "x")], 10, 5, 5, 40)
    assert status == 206
    assert headers["X-Total-Count"] == "40"
    assert headers["X-Result-Count"] == "5"
    assert 'offset=15&limit=5>; rel="next"' in headers["Link"]
    assert 'offset=5&limit=5>; rel="prev"' in headers["Link"]
    assert 'offset=35&limit=5>; rel="last"' in headers["Link"]
    assert "status=x" in headers["Link"]


def test_complete_page_is_200():
    status, headers = page_headers("http://h/c", [], 0, 100, 3, 3)
    assert status == 200
    assert "next" not in headers["Link"]


def test_merge_patch_removes_nulls_and_merges_objects():
    new = patch.apply_patch(DOC, {"status": None, "engagedParty": {"role": "x"}}, patch.MERGE)
    assert "status" not in new
    assert new["engagedParty"] == {"id": "p", "role": "x"}
    assert DOC["status"] == "s"  # the input is untouched


def test_json_patch_addresses_array_elements():
    ops = [{"op": "replace", "path": "/contactMedium/0/mediumType", "value": "phone"}]
    assert (
        patch.apply_patch(DOC, ops, patch.JSON_PATCH)["contactMedium"][0]["mediumType"] == "phone"
    )


def test_json_patch_that_does_not_fit_the_resource_is_a_conflict():
    with pytest.raises(Conflict):
        patch.apply_patch(DOC, [{"op": "remove", "path": "/nosuch"}], patch.JSON_PATCH)
    with pytest.raises(Conflict):
        patch.apply_patch(
            DOC, [{"op": "test", "path": "/name", "value": "other"}], patch.JSON_PATCH
        )


def test_malformed_json_patch_is_400():
    with pytest.raises(InvalidResource):
        patch.apply_patch(DOC, {"op": "add"}, patch.JSON_PATCH)
    with pytest.raises(InvalidResource):
        patch.apply_patch(DOC, [{"op": "add", "path": "/x"}], patch.JSON_PATCH)


def test_media_types():
    assert patch.media_type("application/merge-patch+json; charset=utf-8") == patch.MERGE
    assert patch.media_type("application/json") == patch.JSON
    with pytest.raises(UnsupportedMediaType):
        patch.media_type("text/plain")
