"""The watch's API under /api/v1/media-watch/ (R5.7)."""
