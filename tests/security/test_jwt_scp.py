"""JWT scopes in `scp` (a string or a list, as Azure AD and Okta issue them) are honoured like
`scope`, as docs/security.md says."""

from __future__ import annotations

import uuid

import pytest

CUSTOMERS = "/tmf-api/customerManagement/v4/customer"


@pytest.mark.parametrize("scp", [["customer:read"], "customer:read", "other customer:read"])
def test_scp_grants_its_scopes(secure_client, make_token, scp):
    token = make_token(f"scp-{uuid.uuid4().hex[:6]}", "", scope=None, scp=scp)
    assert secure_client.get(CUSTOMERS, headers=token).status_code == 200
    body = {"name": "n", "engagedParty": {"id": "p1", "@referredType": "Individual"}}
    refused = secure_client.post(CUSTOMERS, json=body, headers=token)
    assert refused.status_code == 403  # scp grants read, not write
    assert refused.json()["code"] == "ERR403"


def test_scp_of_another_kind_grants_nothing(secure_client, make_token):
    token = make_token(f"scp-{uuid.uuid4().hex[:6]}", "", scope=None, scp={"customer:read": 1})
    assert secure_client.get(CUSTOMERS, headers=token).status_code == 403
