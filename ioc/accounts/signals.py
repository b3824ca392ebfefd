"""Signals of accounts for the apps above it (accounts is a low layer: they listen, it never imports them)."""

from __future__ import annotations

from django.dispatch import Signal

# R5.6, R7.4 (issue 21 item 3): a bearer token was refused. Sent with `address` (the client's), `reason` (the
# refusal as answered), `prefix` (the token's public prefix when well formed, else "") and `path`; never with the
# secret. Not sent once the address is throttled, so a flood of wrong tokens costs a bounded number of events.
token_refused = Signal()
