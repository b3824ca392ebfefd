"""Verification of the audit chain against its links, its head row and the anchor file (R7.3)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from ioc.audit.chain import (
    CHAINED_FIELDS,
    GENESIS_LINK,
    AnchorLine,
    AnchorUnreadable,
    anchor_read,
    link_of,
    links_equal,
)
from ioc.audit.models import AuditEntry, ChainHead

# What went wrong, as a code (the message says it in words).
EDITED = "edited"
MISSING = "missing"
TRUNCATED = "truncated"
HEAD_MISMATCH = "head_mismatch"
ANCHOR_MISMATCH = "anchor_mismatch"
ANCHOR_MISSING = "anchor_missing"
ANCHOR_UNREADABLE = "anchor_unreadable"


@dataclass(frozen=True)
class VerifyResult:
    """R7.3: the outcome of `audit_verify`. `broken_position` names the first broken link."""

    ok: bool
    entries: int
    head_position: int
    anchor_position: int | None = None
    broken_position: int | None = None
    problem: str = ""
    message: str = ""

    @property
    def anchor_lag(self) -> int:
        """Entries sealed after the last anchored head (the anchor is written after each commit)."""
        if self.anchor_position is None:
            return self.head_position
        return max(0, self.head_position - self.anchor_position)


@dataclass(frozen=True)
class _Broken:
    position: int
    problem: str
    message: str


def audit_verify() -> VerifyResult:
    """R7.3: recompute every link in position order, then compare the tail with ChainHead and the anchor."""
    try:
        anchor = anchor_read()
    except AnchorUnreadable as exc:
        message = _("Tệp neo bị sửa: dòng %(line)s không đọc được / Anchor file tampered: line %(line)s unreadable")
        return VerifyResult(False, 0, 0, problem=ANCHOR_UNREADABLE, message=message % {"line": exc.line_no})
    anchored: dict[int, set[str]] = {}
    for line in anchor or []:
        anchored.setdefault(line.position, set()).add(line.link)
    anchor_position = max(anchored, default=None)
    count, last_position, last_link, broken = _walk(anchored)
    if broken is None:
        broken = _check_tail(last_position, last_link, anchor, anchor_position)
    if broken is not None:
        return VerifyResult(
            False, count, last_position, anchor_position, broken.position, broken.problem, broken.message
        )
    message = _("Chuỗi nhật ký toàn vẹn / Audit chain intact (%(count)s entries)") % {"count": count}
    return VerifyResult(True, count, last_position, anchor_position, message=message)


def _sealed_rows() -> Iterator[dict[str, Any]]:
    qs = AuditEntry.objects.filter(position__isnull=False).order_by("position")
    rows: Iterator[dict[str, Any]] = qs.values("link", *CHAINED_FIELDS).iterator(chunk_size=2000)
    return rows


def _walk(anchored: dict[int, set[str]]) -> tuple[int, int, str, _Broken | None]:
    """(entries checked, last position, last link, first problem) over the sealed entries."""
    count, expected, previous = 0, 1, GENESIS_LINK
    for row in _sealed_rows():
        position: int = row["position"]
        if position != expected:
            return count, expected - 1, previous, _missing(expected)
        if not links_equal(link_of(previous, row), row["link"]):
            return count, expected - 1, previous, _edited(position)
        if any(not links_equal(link, row["link"]) for link in anchored.get(position, ())):
            return count, position, row["link"], _anchor_mismatch(position)
        count, expected, previous = count + 1, expected + 1, row["link"]
    return count, expected - 1, previous, None


def _check_tail(
    last_position: int, last_link: str, anchor: list[AnchorLine] | None, anchor_position: int | None
) -> _Broken | None:
    head = ChainHead.objects.filter(id=1).first()
    head_position = head.position if head else 0
    if anchor_position is not None and anchor_position > last_position:
        return _truncated(last_position, anchor_position)
    if head_position > last_position:
        return _truncated(last_position, head_position)
    if head is not None and (head_position != last_position or not links_equal(head.link, last_link)):
        message = _(
            "Đầu chuỗi (vị trí %(head)s) không khớp với bản ghi cuối (vị trí %(last)s) / "
            "Chain head (position %(head)s) does not match the last entry (position %(last)s)"
        )
        return _Broken(last_position, HEAD_MISMATCH, message % {"head": head_position, "last": last_position})
    if anchor is None and last_position > 0:
        message = _(
            "Thiếu tệp neo trong khi đã niêm phong %(count)s bản ghi / "
            "Anchor file missing while %(count)s entries are sealed"
        )
        return _Broken(1, ANCHOR_MISSING, message % {"count": last_position})
    return None


def _missing(position: int) -> _Broken:
    message = _(
        "Liên kết hỏng tại vị trí %(position)s: thiếu bản ghi (đã bị xóa) / "
        "Broken link at position %(position)s: entry missing (removed)"
    )
    return _Broken(position, MISSING, message % {"position": position})


def _edited(position: int) -> _Broken:
    message = _(
        "Liên kết hỏng tại vị trí %(position)s: bản ghi đã bị sửa hoặc đảo thứ tự / "
        "Broken link at position %(position)s: entry edited or reordered"
    )
    return _Broken(position, EDITED, message % {"position": position})


def _anchor_mismatch(position: int) -> _Broken:
    message = _(
        "Tệp neo không khớp với chuỗi tại vị trí %(position)s / "
        "Anchor file disagrees with the chain at position %(position)s"
    )
    return _Broken(position, ANCHOR_MISMATCH, message % {"position": position})


def _truncated(last_position: int, expected: int) -> _Broken:
    message = _(
        "Phần đuôi của chuỗi đã bị cắt: cơ sở dữ liệu dừng ở vị trí %(last)s nhưng đã niêm phong tới %(expected)s; "
        "liên kết hỏng đầu tiên ở vị trí %(first)s / Chain tail truncated: the database ends at position %(last)s "
        "but %(expected)s were sealed; first broken link at position %(first)s"
    )
    values = {"last": last_position, "expected": expected, "first": last_position + 1}
    return _Broken(last_position + 1, TRUNCATED, message % values)
