"""TMF event envelopes, subscription matching and the outbox dispatcher (see dispatcher.py)."""
