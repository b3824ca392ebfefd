"""Account pages: own account (own.py), account requests (requests.py), information systems, tokens (systems.py)."""
