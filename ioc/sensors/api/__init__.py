"""The sensors API under /api/v1/sensors/ (R4.1, R5.2)."""
