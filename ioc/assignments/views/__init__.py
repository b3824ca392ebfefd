"""Pages of agency work: the officer's inbox and work (work.py) and the escalation-chain configuration (config.py)."""
