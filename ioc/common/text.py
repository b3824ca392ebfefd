"""Diacritics-insensitive text (DESIGN "Conventions": "ho guom" finds "Hồ Gươm", "Hoà" equals "Hòa")."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case, strip Vietnamese tone and vowel marks, map đ to d, collapse spaces."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.replace("đ", "d").split())
