"""Issue Customer Orders checks: completeness (400), dates (rejected), feasibility, jeopardy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tmf_gateway.catalog.file import FileCatalog
from tmf_gateway.domain.ordering import (
    Catalogue,
    date_problems,
    in_jeopardy,
    item_problems,
    missing_information,
    needs_feasibility,
    patchable,
)
from tmf_gateway.ports import Offering

EXAMPLE = Catalogue(FileCatalog.from_path())  # the catalog shipped with the gateway

NOW = datetime(2030, 1, 1, tzinfo=UTC)


def _order(*items, parties=()):
    return {"productOrderItem": list(items), "relatedParty": list(parties)}


def _add(item_id="1", offering="fibre-1g", **extra):
    return {"id": item_id, "action": "add", "productOffering": {"id": offering}, **extra}


def problems(order, customers=("c1",)):
    return item_problems(order, lambda cid: cid in customers)


def test_complete_order_has_no_problem():
    assert problems(_order(_add(), parties=[{"id": "c1", "@referredType": "Customer"}])) == []


def test_duplicate_item_ids_name_the_item_and_field():
    found = problems(_order(_add("1"), _add("1")))
    assert found == ["productOrderItem[1] (id '1'): 'id' is not unique within the order"]


def missing(order, catalogue=None):
    return missing_information(order, catalogue or EXAMPLE)


def test_modify_delete_and_nochange_need_the_product_id_at_every_level():
    order = _order({"id": "1", "action": "modify"},
                   {"id": "2", "action": "delete", "product": {"name": "x"}},
                   _add("3", productOrderItem=[{"id": "3.1", "action": "noChange"}]))
    assert missing(order) == [
        "productOrderItem[0] (id '1'): 'product.id' (the product to modify)",
        "productOrderItem[1] (id '2'): 'product.id' (the product to delete)",
        "productOrderItem[2].productOrderItem[0] (id '3.1'): 'product.id' "
        "(the product to noChange)",
    ]
    assert problems(order) == []  # the request is valid: the order process asks for these
    assert missing(_order({"id": "1", "action": "modify", "product": {"id": "p"}})) == []


def test_add_needs_an_offering_or_a_product():
    assert missing(_order({"id": "9", "action": "add"})) == [
        "productOrderItem[0] (id '9'): 'productOffering' or 'product' (what to add)"
    ]
    assert missing(_order({"id": "9", "action": "add", "product": {"name": "p"}})) == []


def test_install_address_where_the_offering_needs_one():
    found = missing(_order(_add(offering="fibre-install")))
    assert found and "'product.place'" in found[0]
    placed = _add(offering="fibre-install", product={"place": [{"id": "addr-1", "role": "i"}]})
    assert missing(_order(placed)) == []
    assert missing({**_order(_add(offering="fibre-install")), "place": [{"id": "a"}]}) == []
    configured = FileCatalog({"fibre-1g": Offering("fibre-1g", needs_install_address=True)})
    assert missing(_order(_add()), catalogue=Catalogue(configured))


def test_duplicate_ids_are_found_in_nested_items_too():
    found = problems(_order(_add("1", productOrderItem=[_add("1")])))
    assert found == ["productOrderItem[0].productOrderItem[0] (id '1'): 'id' is not unique "
                     "within the order"]


def test_customer_parties_must_exist_others_are_taken_as_given():
    found = problems(_order(_add(), parties=[{"id": "nope", "@referredType": "Customer"}]))
    assert found == ["relatedParty[0]: 'id' names no customer ('nope')"]
    assert problems(_order(_add(), parties=[{"id": "nope", "@referredType": "Individual"}])) == []


def test_dates_in_the_past_or_reversed_reject_the_order():
    past = (NOW - timedelta(days=1)).isoformat()
    later = (NOW + timedelta(days=9)).isoformat()
    soon = (NOW + timedelta(days=1)).isoformat()
    assert date_problems({"requestedStartDate": past}, NOW) == [
        "'requestedStartDate' is in the past"
    ]
    assert date_problems({"requestedCompletionDate": past}, NOW) == [
        "'requestedCompletionDate' is in the past"
    ]
    assert date_problems(
        {"requestedStartDate": later, "requestedCompletionDate": soon}, NOW
    ) == ["'requestedStartDate' is after 'requestedCompletionDate'"]
    assert date_problems({"requestedStartDate": soon, "requestedCompletionDate": later}, NOW) == []


def test_feasibility_needed_unless_a_qualification_is_given():
    order = _order(_add("1", "fibre-feasibility"), _add("2"))
    assert needs_feasibility(order, EXAMPLE) == ["1"]
    assert needs_feasibility({**order, "productOfferingQualification": [{"id": "q"}]},
                             EXAMPLE) == []


def test_rules_come_from_the_catalog_not_from_words_in_the_id():
    renamed = Catalogue(FileCatalog({"tv-accept": Offering("tv-accept"),
                                     "plain": Offering("plain", needs_acceptance=True)}))
    assert not renamed.rules("tv-accept").needs_acceptance
    assert renamed.rules("plain").needs_acceptance
    assert EXAMPLE.rules("tv-accept").needs_acceptance
    assert not EXAMPLE.rules("install-feasibility-accept").needs_install_address


def test_the_catalog_refuses_unknown_retired_and_misused_offerings():
    order = _order(_add("1", "nope"), _add("2", "adsl-8m"),
                   _add("3", product={"productCharacteristic": [{"name": "colour",
                                                                 "value": "red"}]}))
    assert EXAMPLE.problems(order) == [
        "productOrderItem[0] (id '1'): offering 'nope' is not in the catalog",
        "productOrderItem[1] (id '2'): offering 'adsl-8m' is no longer sold",
        "productOrderItem[2] (id '3'): offering 'fibre-1g' has no characteristic 'colour'",
    ]
    passing = Catalogue(EXAMPLE.catalog, unknown="pass")
    assert passing.problems(_order(_add("1", "nope"))) == []
    assert passing.rules("nope") == EXAMPLE.rules("fibre-1g")  # no rules at all


def test_quantity_must_be_at_least_one():
    assert problems(_order(_add(quantity=-5))) == [
        "productOrderItem[0] (id '1'): 'quantity' must be a whole number of at least 1"]
    assert problems(_order(_add(quantity=2))) == []


def test_modified_products_must_be_owned_by_the_customer():
    item = {"id": "1", "action": "delete", "product": {"id": "p-9"}}
    found = missing_information(_order(item), EXAMPLE, owns=lambda pid: pid == "p-1")
    assert found == ["productOrderItem[0] (id '1'): 'product.id' names no active product of "
                     "the order's customer ('p-9')"]


def test_jeopardy_by_margin():
    due = (NOW + timedelta(hours=1)).isoformat()
    soon = {"state": "inProgress", "requestedCompletionDate": due}
    assert in_jeopardy(soon, NOW, 7200) == "approaching"
    assert in_jeopardy(soon, NOW, 60) is None
    assert in_jeopardy(soon, NOW + timedelta(hours=2), 60) == "passed"
    assert in_jeopardy({**soon, "state": "completed"}, NOW + timedelta(hours=2), 60) is None


def test_patchable_fields_per_state():
    assert "productOrderItem" in patchable("acknowledged")
    assert "productOrderItem" not in patchable("inProgress")
    assert "note" in patchable("inProgress") and "note" in patchable("held")
    assert patchable("completed") == frozenset()
