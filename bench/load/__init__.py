"""The load mix (registry.py), the crash-safety harness (crash.py) and what they share (issue 16)."""
