"""Citizen reports' demo generator (R11): `catalogue` (categories, seasons, texts), `setup` (categories, routing,
officers: the `World`), `draws` (the shared randomness), `history` (`generate`, and the year in bulk), `recent`
(the last 14 days through the services). `generate` is listed in `ioc/demo/registry.py`."""

from ioc.citizen_reports.demo.history import generate

__all__ = ["generate"]
