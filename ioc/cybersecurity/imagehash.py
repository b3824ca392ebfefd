"""R5.6 (issue 21 "images that must never appear, by perceptual hash after `image_clean`"): an in-house difference
hash (dHash) of an image, with Pillow only.

dHash: the image, made safe first by `ioc.common.images.image_clean` (format sniffed, size and pixel bombs refused,
re-encoded from its pixels), is flattened on white, turned grey, shrunk to 9 × 8 pixels, and each of the 64 bits
says whether a pixel is brighter than its right-hand neighbour. Recompression, a resize or a slight colour shift
move a few bits; another picture moves about half of them. Two hashes are "the same image" when their Hamming
distance is at most `CYBER_IMAGE_HASH_DISTANCE` (10 of 64 by default: tests/test_images.py shows a JPEG
recompressed at quality 30 and resized within 5 bits, a different picture over 20).

A hash is written as 16 lower-case hex digits (what the asset's forbidden images list and its baseline keep).
"""

from __future__ import annotations

import io
import re

from PIL import Image

from ioc.common.images import image_clean

WIDTH, HEIGHT = 9, 8
HEX = re.compile(r"^[0-9a-f]{16}$")
MAX_SIDE = 512  # plenty for a 9 × 8 thumbnail: the cleaner's re-encode stays small


def dhash_of(image: Image.Image) -> str:
    """The 64-bit difference hash of a decoded image, as 16 hex digits."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        flat = Image.new("RGBA", image.size, "white")
        flat.alpha_composite(image.convert("RGBA"))
        image = flat
    grey = image.convert("L").resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)
    pixels = grey.tobytes()  # mode L: one byte a pixel, row by row
    bits = 0
    for row in range(HEIGHT):
        for col in range(WIDTH - 1):
            left, right = pixels[row * WIDTH + col], pixels[row * WIDTH + col + 1]
            bits = (bits << 1) | (left > right)
    return f"{bits:016x}"


def dhash_bytes(data: bytes, *, max_bytes: int) -> str:
    """The hash of untrusted image bytes, after `image_clean` (raises its ValidationError for a refused image)."""
    clean = image_clean(data, max_bytes=max_bytes, max_side=MAX_SIDE)
    with Image.open(io.BytesIO(clean.content)) as image:
        return dhash_of(image)


def distance(a: str, b: str) -> int:
    """Hamming distance of two hex hashes (bits that differ)."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


def nearest(found: str, known: list[str] | tuple[str, ...]) -> tuple[str, int] | None:
    """The closest of `known` to `found` and its distance (None when `known` is empty)."""
    if not known:
        return None
    best = min(known, key=lambda k: distance(found, k))
    return best, distance(found, best)
