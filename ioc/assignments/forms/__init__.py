"""Forms of agency work (work.py) and of the escalation-chain configuration (config.py)."""
