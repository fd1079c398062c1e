"""Stored documents come back exactly as they went in, big integers included."""

from tmf_gateway import jsoncodec


def test_big_integers_survive_a_round_trip():
    doc = {"creditScore": 114342700157258380000000000, "n": -(2**70), "small": 5, "f": 1.5}
    assert jsoncodec.loads(jsoncodec.dumps(doc)) == doc
    assert isinstance(jsoncodec.loads(jsoncodec.dumps(doc))["creditScore"], int)


def test_output_is_compact():
    assert jsoncodec.dumps({"a": [1, 2]}) == '{"a":[1,2]}'


def _refused(raw: bytes, depth: int = 100) -> str:
    try:
        jsoncodec.check(raw, depth)
    except jsoncodec.JsonRefused as exc:
        return str(exc)
    raise AssertionError(f"{raw[:40]!r} was accepted")


def test_check_refuses_what_no_store_holds_faithfully():
    assert "nested deeper than 100" in _refused(b"[" * 101 + b"]" * 101)
    assert "nested deeper than 100" in _refused(b"[" * 5000 + b"]" * 5000)  # no RecursionError
    assert "nested deeper than 3" in _refused(b'{"a":{"b":{"c":{}}}}', depth=3)
    assert "out of range" in _refused(b'{"a":1e400}')
    assert "not valid JSON" in _refused(b'{"a":NaN}')
    assert "not valid JSON" in _refused(b'{"a":-Infinity}')
    assert "NUL" in _refused(b'{"a":"x\\u0000"}')
    assert "NUL" in _refused(b'{"a\\u0000":1}')
    assert "not valid JSON" in _refused(b'{"a":"\\ud800"}')  # a lone surrogate
    assert "not valid JSON" in _refused(b'{"a":"\xff"}')


def test_check_accepts_ordinary_documents():
    jsoncodec.check(b'{"a":[{"b":"\\ud83d\\ude00 \xc3\xa9"}],"n":1e300,"big":12345678901234567890}',
                    100)
    jsoncodec.check(b"[" * 100 + b"]" * 100, 100)


def test_deeper_than_counts_objects_and_arrays():
    assert not jsoncodec.deeper_than({"a": [{"b": 1}]}, 3)
    assert jsoncodec.deeper_than({"a": [{"b": {}}]}, 3)
