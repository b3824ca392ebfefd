"""The agency's evidence photos become the report's result photos, so the IOC can choose which are public (R3.3)."""

from __future__ import annotations

import logging

from PIL import Image

from ioc.assignments.models import Assignment, Evidence
from ioc.citizen_reports.choices import PhotoKind
from ioc.citizen_reports.models import Report, ReportPhoto

logger = logging.getLogger(__name__)


def _size(evidence: Evidence) -> tuple[int, int] | None:
    try:
        with evidence.file.open("rb") as handle, Image.open(handle) as image:
            return int(image.width), int(image.height)
    except (OSError, ValueError):
        logger.warning("evidence %s is not a readable image", evidence.pk)
        return None


def evidence_copy(report: Report, assignment: Assignment) -> int:
    """Link the assignment's image evidence to the report as EVIDENCE photos (not public); idempotent.

    The stored file is shared (same storage name), never copied or exposed under a public URL.
    """
    have = set(ReportPhoto.objects.filter(report=report).values_list("file", flat=True))
    created = 0
    for evidence in Evidence.objects.filter(assignment=assignment).order_by("pk"):
        if evidence.file.name in have or not evidence.content_type.startswith("image/"):
            continue
        size = _size(evidence)
        if size is None:
            continue
        ReportPhoto.objects.create(
            report=report,
            kind=PhotoKind.EVIDENCE,
            file=evidence.file.name,
            width=size[0],
            height=size[1],
            sha256=evidence.sha256,
            is_public=False,
            uploaded_at=evidence.uploaded_at,
        )
        have.add(evidence.file.name)
        created += 1
    return created
