"""TMF630 conventions, implemented once: query parsing, field selection, paging, patch."""
