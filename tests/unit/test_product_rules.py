"""What a completed order does to the customer's products (domain/products.py), without I/O."""

from __future__ import annotations

from tmf_gateway.domain.products import is_owned, product_id, products_from, touched_by

NOW = "2030-01-01T00:00:00Z"
ADA = [{"id": "ada", "@referredType": "Customer"}]


def completed(*items, state="completed"):
    return {"id": "o1", "relatedParty": ADA,
            "productOrderItem": [{**item, "state": state} for item in items]}


def test_an_add_makes_one_active_product_with_a_stable_id():
    item = {"id": "1", "action": "add", "productOffering": {"id": "fibre-1g"},
            "product": {"realizingResource": [{"id": "olt"}], "place": [{"id": "home"}]}}
    [product] = products_from(completed(item), lambda _: None, NOW, {"fibre-1g": "Fibre"}.get)
    assert product["id"] == product_id("o1", "1") == products_from(
        completed(item), lambda _: None, NOW)[0]["id"]
    assert product["status"] == "active" and product["startDate"] == NOW
    assert product["name"] == "Fibre" and product["productOffering"]["name"] == "Fibre"
    assert product["relatedParty"][0]["id"] == "ada"
    assert touched_by(product, "resource", "olt") and not touched_by(product, "resource", "x")
    assert is_owned(product, "ada") and not is_owned(product, "bob")


def test_items_that_did_not_complete_change_nothing():
    item = {"id": "1", "action": "add", "productOffering": {"id": "fibre-1g"}}
    for state in ("failed", "cancelled", "rejected", "inProgress"):
        assert products_from(completed(item, state=state), lambda _: None, NOW) == []


def test_modify_merges_characteristics_by_name_and_delete_terminates():
    owned = {"id": "p1", "status": "active", "relatedParty": ADA,
             "productCharacteristic": [{"name": "speed", "value": "1G"},
                                       {"name": "ip", "value": "a"}]}
    modify = {"id": "1", "action": "modify", "product": {
        "id": "p1", "productCharacteristic": [{"name": "speed", "value": "2G"}]}}
    [changed] = products_from(completed(modify), {"p1": owned}.get, NOW)
    assert changed["productCharacteristic"] == [{"name": "ip", "value": "a"},
                                                {"name": "speed", "value": "2G"}]
    assert owned["productCharacteristic"][0]["value"] == "1G"  # the input is not changed
    delete = {"id": "1", "action": "delete", "product": {"id": "p1"}}
    [ended] = products_from(completed(delete), {"p1": owned}.get, NOW)
    assert ended["status"] == "terminated" and ended["terminationDate"] == NOW
    assert not is_owned(ended, "ada")
    unknown = {"id": "1", "action": "delete", "product": {"id": "nope"}}
    assert products_from(completed(unknown), {"p1": owned}.get, NOW) == []


def test_nested_items_of_a_completed_bundle_count_too():
    bundle = {"id": "1", "action": "add", "productOffering": {"id": "bundle"},
              "productOrderItem": [{"id": "1.1", "action": "add",
                                    "productOffering": {"id": "tv"}}]}
    made = products_from(completed(bundle), lambda _: None, NOW)
    assert [p["productOffering"]["id"] for p in made] == ["bundle", "tv"]
