"""tmf-gateway: a TM Forum Open API conformant gateway with pluggable stores and adapters."""

__version__ = "0.1.0"
