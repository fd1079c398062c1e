"""The store contract suite: plain pytest tests of a `store` fixture (tmf_gateway.testing.stores
gathers them with the fixture; run them with one import, see docs/developing.md)."""
