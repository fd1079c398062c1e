"""Pure business rules: resource definitions, lifecycles, completeness checks."""
