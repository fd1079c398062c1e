"""Built-in stores: memory, and the shared SQL store with its SQLite and PostgreSQL parts."""
