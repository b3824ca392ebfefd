"""Near-duplicate signatures of items (R5.7; the choice and its measured recall: docs/decisions/0008).

MinHash over the folded text's 2-syllable shingles: each shingle is hashed to 64 bits (BLAKE2b), then through
`PERMUTATIONS` multiply-shift hash functions (odd multiplier, wrapping 64-bit arithmetic, top 32 bits kept); the
signature is each function's minimum. Equal positions of two signatures estimate the Jaccard similarity of the
shingle sets. Candidates are found by LSH: `BANDS` bands of `ROWS` rows, each band's values hashed into one
indexed key (`ItemBand`), so a look-up is one indexed IN query; a candidate is the same item when its estimated
similarity is at least `THRESHOLD`.
"""

from __future__ import annotations

import hashlib

import numpy as np

SHINGLE = 2
PERMUTATIONS = 64
BANDS = 16
ROWS = PERMUTATIONS // BANDS
THRESHOLD = 0.8
SIGNATURE_BYTES = PERMUTATIONS * 4

_rng = np.random.default_rng(20261203)  # fixed: signatures must be comparable across processes and releases
_MULTIPLIERS = _rng.integers(1, 2**63, size=PERMUTATIONS, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_ADDENDS = _rng.integers(0, 2**63, size=PERMUTATIONS, dtype=np.uint64)


def _shingle_hashes(folded: str) -> np.ndarray:
    words = folded.split()
    if len(words) <= SHINGLE:
        shingles = {" ".join(words)}
    else:
        shingles = {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    digests = b"".join(hashlib.blake2b(s.encode(), digest_size=8).digest() for s in sorted(shingles))
    return np.frombuffer(digests, dtype="<u8")


def signature(folded: str) -> bytes:
    """The MinHash signature of a folded text (b"" for an empty text)."""
    if not folded.strip():
        return b""
    hashes = _shingle_hashes(folded)
    with np.errstate(over="ignore"):
        mixed = hashes[:, None] * _MULTIPLIERS[None, :] + _ADDENDS[None, :]
    minima: np.ndarray = (mixed >> np.uint64(32)).astype("<u4").min(axis=0)
    return bytes(minima.tobytes())


def similarity(a: bytes, b: bytes) -> float:
    """The estimated Jaccard similarity of two signatures (0 when either is empty)."""
    if len(a) != SIGNATURE_BYTES or len(b) != SIGNATURE_BYTES:
        return 0.0
    left, right = np.frombuffer(a, dtype="<u4"), np.frombuffer(b, dtype="<u4")
    return float(np.count_nonzero(left == right)) / PERMUTATIONS


def band_keys(sig: bytes) -> list[int]:
    """One signed 64-bit key per band (band number mixed in), for the indexed look-up."""
    if len(sig) != SIGNATURE_BYTES:
        return []
    keys = []
    for band in range(BANDS):
        chunk = bytes([band]) + sig[band * ROWS * 4 : (band + 1) * ROWS * 4]
        keys.append(int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "little", signed=True))
    return keys
