"""Use cases: business rules, lifecycles and one transaction per call."""
