"""TMF event envelopes, hub subscriptions and (later) the outbox dispatcher."""
