"""The audit entry's changes are a JSON patch that rebuilds each version from the one before."""

from __future__ import annotations

import jsonpatch
import pytest

from tmf_gateway.services.resources import changed_paths

DOC = {"id": "1", "name": "Ada", "a/b": {"c": [1, 2]}, "~tilde": None, "contact": [{"x": 1}]}


@pytest.mark.parametrize("old, new", [
    ({}, DOC),  # create
    (DOC, {}),  # delete
    (DOC, {**DOC, "name": "Grace", "contact": [{"x": 2}], "new": True}),  # change
])
def test_changes_turn_the_old_version_into_the_new(old, new):
    changes = changed_paths(old, new)
    assert jsonpatch.apply_patch(old, changes) == new
    assert changes == list(jsonpatch.make_patch(old, new))
