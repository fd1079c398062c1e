"""Customer inventory governance: streaming export (and, later, data-quality audits)."""
