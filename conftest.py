"""Test-session wiring shared by every app's tests."""
