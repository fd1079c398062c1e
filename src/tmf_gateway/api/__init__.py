"""Thin HTTP handlers: parse the TMF630 request, call a service, render the answer."""
