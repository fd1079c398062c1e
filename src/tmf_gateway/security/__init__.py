"""Authentication, authorisation by scope, rate limits and the access log (docs/security.md)."""
