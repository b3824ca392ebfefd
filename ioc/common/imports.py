"""The one import-summary shape every import in the IOC returns (DESIGN "Contracts")."""

from __future__ import annotations

from typing import Literal, TypedDict


class ImportConflict(TypedDict):
    row: int
    field: str
    value: str
    reason: str


class ImportSummary(TypedDict):
    status: Literal["accepted", "partial", "rejected"]
    imported: int
    updated: int
    ignored: int
    rejected: int
    conflicts: list[ImportConflict]


def import_summary(
    *, imported: int = 0, updated: int = 0, ignored: int = 0, conflicts: list[ImportConflict] | None = None
) -> ImportSummary:
    """Build a summary; the status follows from the counts (rejected = rows with a conflict)."""
    conflicts = conflicts or []
    rejected = len({c["row"] for c in conflicts})
    if rejected and not (imported or updated):
        status: Literal["accepted", "partial", "rejected"] = "rejected"
    elif rejected:
        status = "partial"
    else:
        status = "accepted"
    return ImportSummary(
        status=status, imported=imported, updated=updated, ignored=ignored, rejected=rejected, conflicts=conflicts
    )
