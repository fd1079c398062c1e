"""Alembic environment, configured in code (no alembic.ini): `migrations.alembic_config()` puts
either an open connection (`attributes["connection"]`, the gateway's own path, under the store's
schema lock) or a URL (`sqlalchemy.url`, for `alembic revision --autogenerate` while developing)
into the config."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from tmf_gateway.storage.migrations import VERSION_TABLE, target_metadata

config = context.config


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata(connection.dialect.name),
        version_table=VERSION_TABLE,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    url = config.get_main_option("sqlalchemy.url")
    scheme = url.split(":", 1)[0].split("+", 1)[0]
    context.configure(
        url=url,
        target_metadata=target_metadata("postgresql" if scheme.startswith("postgres") else scheme),
        version_table=VERSION_TABLE,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()
elif config.attributes.get("connection") is not None:
    _run(config.attributes["connection"])
else:
    from tmf_gateway.storage.postgresql_schema import engine_url

    url = config.get_main_option("sqlalchemy.url")
    engine = create_engine(engine_url(url) if url.startswith("postgres") else url)
    try:
        with engine.begin() as conn:
            _run(conn)
    finally:
        engine.dispose()
