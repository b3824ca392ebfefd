"""Static files storage: WhiteNoise's compressed manifest, without rewriting source-map comments.

The vendored front-end packages ship `//# sourceMappingURL=` comments but not the `.map` files (we copy only
what runs), and Django's manifest storage refuses a reference to a missing file. Everything else (CSS `url()`,
`@import`) is still hashed and checked.
"""

from __future__ import annotations

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns: Any) -> tuple[Any, ...]:
    kept = []
    for extension, rules in patterns:
        rules = tuple(rule for rule in rules if "sourceMappingURL" not in str(rule))
        kept.append((extension, rules))
    return tuple(kept)


class StaticStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]
    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)
