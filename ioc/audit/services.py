"""Writes of the audit trail (R7.3). Every service of every app calls `audit_record` inside its transaction.

Writers only insert; the sealer (`audit_seal`) later gives committed entries their position and HMAC link,
so writers never wait on each other.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Required, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.audit.chain import CHAINED_FIELDS, anchor_append, link_of
from ioc.audit.chain import rows_digest as rows_digest  # re-exported: the digest tests of other apps recompute it
from ioc.audit.models import AuditEntry, ChainHead
from ioc.common import context
from ioc.common.bulk import insert_returning

if TYPE_CHECKING:  # a type only: accounts sits above audit (import-linter ignores TYPE_CHECKING imports)
    from ioc.accounts.models import User

logger = logging.getLogger(__name__)


# The actor label of an entry written for a citizen who is not an account (rating, reopening by tracking code,
# public submission). Setup and background work act as the system account and show its username instead.
ANONYMOUS_CITIZEN_LABEL = "người dân (ẩn danh)"


def _actor_label(actor: User | None) -> str:
    if actor is None:
        return ANONYMOUS_CITIZEN_LABEL
    return actor.get_username()


class AuditItem(TypedDict, total=False):
    """What an entry records besides its actor: `audit_record`'s keywords and one item of `audit_record_many`.
    `obj` fills the object's type, id and text where they are not given."""

    action: Required[str]  # `<entity>.<action>`, e.g. `account.lock`
    obj: models.Model | None
    changes: dict[str, Any] | None
    object_type: str
    object_id: str
    object_repr: str
    row_count: int | None
    digest: str


_ITEM_KEYS = frozenset(AuditItem.__annotations__)


def _entries(actor: User | None, items: Iterable[AuditItem]) -> list[AuditEntry]:
    """R7.3: the one place an entry is built, not yet written: the request's address and id, the actor's label
    and one instant for all of them."""
    if actor is not None and actor.pk is None:
        raise ValueError("audit: the actor must be a saved account")
    ctx, label, now = context.current(), _actor_label(actor), timezone.now()
    entries = []
    for item in items:
        if not item.keys() <= _ITEM_KEYS or "action" not in item:  # as a signature of named keywords would
            unexpected = sorted(item.keys() - _ITEM_KEYS)
            raise TypeError(f"audit_record: unexpected keywords {unexpected}" if unexpected else "action is required")
        obj = item.get("obj")
        object_type = item.get("object_type", "")
        object_id = item.get("object_id", "")
        object_repr = item.get("object_repr", "")
        if obj is not None:
            object_type = object_type or obj._meta.label_lower
            object_id = object_id or str(obj.pk)
            object_repr = object_repr or str(obj)
        entries.append(
            AuditEntry(
                created_at=now,
                actor=actor,
                actor_label=label,
                action=item["action"],
                object_type=object_type,
                object_id=object_id,
                object_repr=object_repr[:200],
                changes=item.get("changes") or {},
                address=ctx.address,
                request_id=ctx.request_id,
                row_count=item.get("row_count"),
                digest=item.get("digest", ""),
            )
        )
    return entries


def audit_entry_new(*, actor: User | None, **item: Unpack[AuditItem]) -> AuditEntry:
    """R7.3: the entry `audit_record` writes, not yet written: a service that records several actions in one
    transaction writes them together with `audit_entries_write` (the Open311 write: the report and its receipt)."""
    [entry] = _entries(actor, [item])
    return entry


def audit_entries_write(entries: Sequence[AuditEntry], *, prepared: bool = False) -> None:
    """R7.3: entries from `audit_entry_new`, in order, in one INSERT joining the caller's transaction.
    `prepared`: a hot path's fixed statement, prepared on PostgreSQL (`ioc.common.prepared`)."""
    insert_returning(entries, prepared=prepared)


def audit_record(*, actor: User | None, **item: Unpack[AuditItem]) -> AuditEntry:
    """R7.3: record one action (`<entity>.<action>`, e.g. `account.lock`) by `actor`, a user account.

    `None` means an anonymous citizen (not an account) and only that: setup commands, demo generators and
    background work pass the system account (`accounts.selectors.system_account()`).
    """
    entry = audit_entry_new(actor=actor, **item)
    entry.save(force_insert=True)
    return entry


# --- bulk writes and personal-data reads -----------------------------------------------------------------


def audit_record_many(*, actor: User | None, items: Sequence[AuditItem]) -> list[AuditEntry]:
    """R7.3: one entry per item, exactly as `audit_record` writes each, in one INSERT (set-based sweeps: an
    entry per escalated assignment, issue 12 "Speed"). Joins the caller's transaction."""
    entries = _entries(actor, items)
    insert_returning(entries)
    return entries


PERSONAL_DATA_READ = "personal_data.read"
_PURPOSE_MAX = 500


@transaction.atomic
def audit_record_bulk(
    *,
    actor: User | None,
    action: str,
    object_type: str,
    rows: Iterable[Mapping[str, Any] | tuple[Any, ...]],
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """R7.3: one entry for a whole batch, with its row count and a SHA-256 digest of the rows.

    The digest is `chain.rows_digest(rows)`: each row's canonical JSON (sorted keys, tuples as arrays)
    followed by a newline, so anyone holding the batch can recompute it.
    """
    row_count, digest = rows_digest(rows)
    return audit_record(
        actor=actor,
        action=action,
        object_type=object_type,
        changes=changes,
        row_count=row_count,
        digest=digest,
    )


@transaction.atomic
def audit_personal_data_read(*, actor: User, obj: models.Model, fields: list[str], purpose: str = "") -> AuditEntry:
    """R7.3: reading a citizen's personal data (which fields, for what purpose) is itself audited."""
    names = sorted({str(name).strip() for name in fields if str(name).strip()})
    if not names:
        raise ValidationError({"fields": [_("Cần nêu các trường đã đọc / Name the fields that were read")]})
    if len(purpose) > _PURPOSE_MAX:
        raise ValidationError({"purpose": [_("Mục đích quá dài (tối đa 500 ký tự) / Purpose too long (500 max)")]})
    return audit_record(actor=actor, action=PERSONAL_DATA_READ, obj=obj, changes={"fields": names, "purpose": purpose})


# --- the sealer ------------------------------------------------------------------------------------------


SEAL_BATCH = 5000


def audit_seal(*, limit: int = SEAL_BATCH) -> int:
    """R7.3: the single sealer. Gives committed, unsealed entries (in id order) the next positions and links.

    It locks the ChainHead row (SELECT … FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transaction holds the
    write lock), so two sealers never interleave, while writers only insert and never wait for the chain.
    After the commit the new head is appended to the anchor file. Sealing writes no audit entry of its own.
    Returns the number of entries sealed.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    with transaction.atomic():
        head = _locked_head()
        fields = [name for name in CHAINED_FIELDS if name != "position"]
        rows = list(AuditEntry.objects.filter(position__isnull=True).order_by("id").values("id", *fields)[:limit])
        if not rows:
            return 0
        sealed = _link_rows(rows, position=head.position, link=head.link)
        _write_links(sealed)
        last = sealed[-1]
        assert last.position is not None
        head.position, head.link, head.sealed_at = last.position, last.link, timezone.now()
        head.save(update_fields=["position", "link", "sealed_at"])
        transaction.on_commit(
            functools.partial(_anchor_after_commit, position=head.position, link=head.link, sealed_at=head.sealed_at)
        )
    return len(sealed)


def _write_links(sealed: list[AuditEntry]) -> None:
    """One prepared UPDATE per entry: bulk_update's CASE expressions grow quadratically with the batch
    (measured 1,870 entries/s with bulk_update against the executemany figure in docs/benchmarks.md)."""
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    sql = f"UPDATE {table} SET position = %s, link = %s WHERE id = %s"  # noqa: S608 - the model's own table
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(entry.position, entry.link, entry.id) for entry in sealed])


def _locked_head() -> ChainHead:
    """The ChainHead row, locked; created when missing, continuing from the last sealed entry if any."""
    if not ChainHead.objects.filter(id=1).exists():
        last = AuditEntry.objects.filter(position__isnull=False).order_by("-position").values("position", "link")
        found = last.first()
        defaults: dict[str, Any] = dict(found) if found else {}
        ChainHead.objects.get_or_create(id=1, defaults=defaults)
    return ChainHead.objects.select_for_update().get(id=1)


def audit_seal_backlog(*, batch: int = SEAL_BATCH, max_batches: int = 100) -> int:
    """R7.3: seal in batches (one transaction each) until nothing is pending; returns how many were sealed."""
    total = 0
    for _round in range(max_batches):
        sealed = audit_seal(limit=batch)
        total += sealed
        if sealed < batch:
            break
    return total


def _link_rows(rows: list[dict[str, Any]], *, position: int, link: str) -> list[AuditEntry]:
    sealed: list[AuditEntry] = []
    for row in rows:
        position += 1
        row["position"] = position
        link = link_of(link, row)
        sealed.append(AuditEntry(id=row["id"], position=position, link=link))
    return sealed


def _anchor_after_commit(*, position: int, link: str, sealed_at: dt.datetime) -> None:
    try:
        anchor_append(position=position, link=link, sealed_at=sealed_at)
    except OSError:
        # The chain is committed; the next sealing appends a later head. audit_verify reports the lag.
        logger.exception("audit: could not append head %s to the anchor file", position)
