"""Stored documents come back exactly as they went in, big integers included."""

from tmf_gateway import jsoncodec


def test_big_integers_survive_a_round_trip():
    doc = {"creditScore": 114342700157258380000000000, "n": -(2**70), "small": 5, "f": 1.5}
    assert jsoncodec.loads(jsoncodec.dumps(doc)) == doc
    assert isinstance(jsoncodec.loads(jsoncodec.dumps(doc))["creditScore"], int)


def test_output_is_compact():
    assert jsoncodec.dumps({"a": [1, 2]}) == '{"a":[1,2]}'
