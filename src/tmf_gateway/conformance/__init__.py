"""Conformance testing of any TMF server: Schemathesis plus the TMF630 rules it cannot know."""
