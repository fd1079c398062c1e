"""The product catalog port's implementations, chosen by the `catalog` setting."""

from __future__ import annotations

from ..config import Settings
from ..errors import ConfigurationError
from ..ports import ProductCatalog

KINDS = ("file", "tmf620")


def load_catalog(settings: Settings) -> ProductCatalog:
    """The configured catalog: the YAML file (the shipped example unless `catalog_file` names
    another) or a TMF620 server at `catalog_url`."""
    if settings.catalog == "tmf620":
        if not settings.catalog_url:
            raise ConfigurationError("TMF_GATEWAY_CATALOG=tmf620 needs TMF_GATEWAY_CATALOG_URL")
        from .tmf620 import Tmf620Catalog

        return Tmf620Catalog(settings.catalog_url)
    from .file import FileCatalog

    return FileCatalog.from_path(settings.catalog_file or None)
