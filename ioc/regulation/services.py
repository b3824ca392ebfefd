"""Writes of the regulation app (R11, "Quy chế"): the act with its articles, then what it sets, each citing them.

Every write is idempotent (a second call with the same data changes and audits nothing) and is refused whole
with a ValidationError naming the field when an item is bad: a citation that names no article, clause or point
of the act's text, an unknown frequency or kind, a day outside the month. Only a system administrator (or the
system account acting for setup) writes the act.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ioc.audit.services import audit_record
from ioc.common.roles import AGENCY_CONFIG_ROLES, actor_require_role
from ioc.regulation import text as act_text
from ioc.regulation.choices import TARGET_KINDS, DomainKind, Frequency, Level, Period
from ioc.regulation.models import (
    Act,
    Allowance,
    Article,
    Cited,
    Duty,
    MonitoredDomain,
    ReportCalendarEntry,
    ReviewMeeting,
    StaffPosition,
    TemplateCadence,
)

if TYPE_CHECKING:
    from ioc.accounts.models import User

Item = Mapping[str, Any]
CODE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _require_admin(actor: User) -> None:
    actor_require_role(
        actor,
        AGENCY_CONFIG_ROLES,
        _("Chỉ quản trị hệ thống được nạp quy chế / Only a system administrator loads the regulation"),
    )


# --- the act and its articles ---------------------------------------------------------------------------


def _act_errors(
    seed: str, number: str, title: str, level: str, articles: dict[int, act_text.Article]
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not re.fullmatch(r"\d{3}", seed or ""):
        errors["seed"] = [_("Mã văn bản gồm 3 chữ số (003) / The act's code is 3 digits (003)")]
    if not (number or "").strip():
        errors["number"] = [_("Cần số văn bản / The act's number is required")]
    if not (title or "").strip():
        errors["title"] = [_("Cần trích yếu / The act's title is required")]
    if level not in Level.values:
        errors["level"] = [_("Cấp không hợp lệ / Unknown level")]
    if not articles:
        errors["text"] = [_("Không tìm thấy điều nào trong văn bản / No article found in the act's text")]
    return errors


@transaction.atomic
def act_set(
    *,
    actor: User,
    profile: str,
    seed: str,
    number: str,
    date: dt.date,
    issuing_body: str,
    title: str,
    level: str,
    text: str,
    signer: str = "",
    date_note: str = "",
    valid_until: dt.date | None = None,
) -> Act:
    """R11: the profile's act and its articles parsed from its text (`text`, the act as published)."""
    _require_admin(actor)
    articles = act_text.articles_parse(text or "")
    if errors := _act_errors(seed, number, title, level, articles):
        raise ValidationError(errors)
    fields = {
        "seed": seed,
        "number": number.strip(),
        "date": date,
        "issuing_body": issuing_body.strip(),
        "title": title.strip(),
        "level": level,
        "signer": signer.strip(),
        "date_note": date_note.strip(),
        "valid_until": valid_until,
    }
    act = Act.objects.filter(profile=profile).first()
    created = act is None
    changed = created or any(getattr(act, name) != value for name, value in fields.items())
    if act is None:
        act = Act.objects.create(profile=profile, **fields)
    elif changed:
        Act.objects.filter(pk=act.pk).update(updated_at=timezone.now(), **fields)
        act.refresh_from_db()
    articles_changed = _articles_write(act, articles)
    if changed or articles_changed:
        changes = {"number": act.number, "articles": len(articles), "created": created}
        audit_record(actor=actor, action="regulation.act_set", obj=act, changes=changes)
    return act


def _articles_write(act: Act, parsed: dict[int, act_text.Article]) -> bool:
    existing = {a.number: a for a in Article.objects.filter(act=act)}
    changed = False
    for number, article in parsed.items():
        wanted = {
            "title": article.title[:300],
            "excerpt": article.excerpt,
            "clauses": {str(clause): sorted(points) for clause, points in sorted(article.clauses.items())},
        }
        row = existing.pop(number, None)
        if row is None:
            Article.objects.create(act=act, number=number, **wanted)
            changed = True
        elif any(getattr(row, name) != value for name, value in wanted.items()):
            Article.objects.filter(pk=row.pk).update(**wanted)
            changed = True
    if existing:  # articles no longer in the text: only when nothing cites them (PROTECT refuses otherwise)
        Article.objects.filter(pk__in=[a.pk for a in existing.values()]).delete()
        changed = True
    return changed


# --- what the act sets --------------------------------------------------------------------------------------


def _cited_article(act: Act, source: str, articles: dict[int, act_text.Article]) -> int | None:
    """The article a citation names within `act`, or None when it names nothing of the act's text."""
    if not act_text.citation_exists(articles, source, seed=act.seed):
        return None
    match = act_text.CITATION.match(source)
    assert match is not None
    return int(match.group("article"))


def _clauses(act: Act) -> dict[int, act_text.Article]:
    """The act's articles with their clauses and points, as `act_set` recorded them from the text."""
    return {
        a.number: act_text.Article(a.number, a.title, clauses={int(k): set(v) for k, v in a.clauses.items()})
        for a in Article.objects.filter(act=act)
    }


def _check_items(act: Act, items: Sequence[Item], check: Any, clauses: dict[int, act_text.Article]) -> None:
    codes: set[str] = set()
    for index, item in enumerate(items):
        code = str(item.get("code", ""))
        errors: dict[str, list[str]] = {}
        if not CODE.match(code) or code in codes:
            errors["code"] = [_("Mã trống, sai dạng hoặc trùng / Code empty, malformed or repeated")]
        codes.add(code)
        if _cited_article(act, str(item.get("source", "")), clauses) is None:
            errors["source"] = [
                _("Căn cứ %(source)s không có trong văn bản %(seed)s / %(source)s is not an article of act %(seed)s")
                % {"source": item.get("source", ""), "seed": act.seed}
            ]
        errors.update(check(item))
        if errors:
            raise ValidationError({f"items[{index}].{name}": reasons for name, reasons in errors.items()})


def _items_write(
    *, actor: User, act: Act, model: type[Cited], items: Sequence[Item], fields: tuple[str, ...], check: Any
) -> list[Any]:
    """Validate every item first, then create, update or drop rows by code; one audit entry when anything
    changed."""
    _require_admin(actor)
    clauses = _clauses(act)
    _check_items(act, items, check, clauses)
    articles = {a.number: a for a in Article.objects.filter(act=act)}
    existing: dict[str, Any] = {row.code: row for row in model.objects.filter(act=act)}  # type: ignore[attr-defined]
    changed = 0
    for position, item in enumerate(items):
        number = _cited_article(act, item["source"], clauses)
        assert number is not None
        wanted = {"source": item["source"], "article": articles[number], "position": position}
        wanted |= {name: item.get(name, _default(model, name)) for name in fields}
        row = existing.pop(item["code"], None)
        if row is None:
            model.objects.create(act=act, code=item["code"], **wanted)  # type: ignore[attr-defined]
            changed += 1
        elif any(getattr(row, name) != value for name, value in wanted.items()):
            model.objects.filter(pk=row.pk).update(**wanted)  # type: ignore[attr-defined]
            changed += 1
    if existing:
        model.objects.filter(pk__in=[row.pk for row in existing.values()]).delete()  # type: ignore[attr-defined]
        changed += len(existing)
    if changed:
        label = model._meta.model_name
        audit_record(
            actor=actor, action=f"regulation.{label}_set", obj=act, changes={"items": len(items), "changed": changed}
        )
    return list(model.objects.filter(act=act).order_by("position"))  # type: ignore[attr-defined]


def _default(model: type[Cited], name: str) -> Any:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field.get_default()


def _need(item: Item, *names: str) -> dict[str, list[str]]:
    return {name: [_("Cần nhập / Required")] for name in names if not str(item.get(name, "")).strip()}


def _frequency(item: Item) -> dict[str, list[str]]:
    if item.get("frequency") not in Frequency.values:
        return {"frequency": [_("Kỳ không hợp lệ / Unknown frequency")]}
    return {}


@transaction.atomic
def duties_set(*, actor: User, act: Act, items: Sequence[Item]) -> list[Duty]:
    """R11: the act's duties (`code`, `title`, `source`, `responsible`, `carried_out_by` = `url:`, `api:`, `task:`)."""

    def check(item: Item) -> dict[str, list[str]]:
        errors = _need(item, "title")
        target = str(item.get("carried_out_by", ""))
        if target and target.split(":", 1)[0] not in TARGET_KINDS:
            errors["carried_out_by"] = [_("Dạng url:…, api:… hoặc task:… / Use url:…, api:… or task:…")]
        return errors

    fields = ("title", "responsible", "carried_out_by")
    return _items_write(actor=actor, act=act, model=Duty, items=items, fields=fields, check=check)


@transaction.atomic
def monitored_domains_set(*, actor: User, act: Act, items: Sequence[Item]) -> list[MonitoredDomain]:
    """R11: the domains, data groups and scenario kinds the act lists (`code`, `name`, `source`, `kind`)."""

    def check(item: Item) -> dict[str, list[str]]:
        errors = _need(item, "name")
        if item.get("kind", DomainKind.DOMAIN) not in DomainKind.values:
            errors["kind"] = [_("Loại không hợp lệ / Unknown kind")]
        return errors

    return _items_write(actor=actor, act=act, model=MonitoredDomain, items=items, fields=("name", "kind"), check=check)


@transaction.atomic
def report_calendar_set(*, actor: User, act: Act, items: Sequence[Item]) -> list[ReportCalendarEntry]:
    """R11, R8: the periodic reports (`frequency`, `recipient`, `due_day` 1–31 or None, `due_rule`)."""

    def check(item: Item) -> dict[str, list[str]]:
        errors = _need(item, "name") | _frequency(item)
        day = item.get("due_day")
        if day is not None and (not isinstance(day, int) or not 1 <= day <= 31):
            errors["due_day"] = [_("Ngày trong tháng từ 1 đến 31 / A day of the month, 1 to 31")]
        return errors

    fields = ("name", "frequency", "recipient", "due_day", "due_rule")
    return _items_write(actor=actor, act=act, model=ReportCalendarEntry, items=items, fields=fields, check=check)


@transaction.atomic
def template_cadence_set(*, actor: User, act: Act, items: Sequence[Item]) -> list[TemplateCadence]:
    """R11, R1.2: when agencies send data by template (`weekdays` ISO 1–7, `description`); empty: not set."""

    def check(item: Item) -> dict[str, list[str]]:
        errors = _need(item, "description")
        days = item.get("weekdays")
        if not isinstance(days, list | tuple) or not days or any(d not in range(1, 8) for d in days):
            errors["weekdays"] = [_("Các ngày trong tuần từ 1 (thứ 2) đến 7 / Weekdays 1 (Monday) to 7")]
        return errors

    listed = [{**item, "weekdays": sorted(item.get("weekdays") or [])} for item in items]
    fields = ("weekdays", "description")
    return _items_write(actor=actor, act=act, model=TemplateCadence, items=listed, fields=fields, check=check)


@transaction.atomic
def review_meetings_set(*, actor: User, act: Act, items: Sequence[Item]) -> list[ReviewMeeting]:
    """R11: the review meetings (`name`, `frequency`, `organiser`)."""

    def check(item: Item) -> dict[str, list[str]]:
        return _need(item, "name", "organiser") | _frequency(item)

    fields = ("name", "frequency", "organiser")
    return _items_write(actor=actor, act=act, model=ReviewMeeting, items=items, fields=fields, check=check)


@transaction.atomic
def allowances_set(*, actor: User, act: Act, items: Sequence[Item]) -> list[Allowance]:
    """R11: the staff allowances (`beneficiary`, `amount_vnd` > 0, `period`)."""

    def check(item: Item) -> dict[str, list[str]]:
        errors = _need(item, "beneficiary")
        amount = item.get("amount_vnd")
        if not isinstance(amount, int) or amount <= 0:
            errors["amount_vnd"] = [_("Mức hỗ trợ là số đồng dương / The amount is a positive number of VND")]
        if item.get("period", Period.MONTH) not in Period.values:
            errors["period"] = [_("Kỳ không hợp lệ / Unknown period")]
        return errors

    fields = ("beneficiary", "amount_vnd", "period")
    return _items_write(actor=actor, act=act, model=Allowance, items=items, fields=fields, check=check)


@transaction.atomic
def staffing_set(*, actor: User, act: Act, items: Sequence[Item]) -> list[StaffPosition]:
    """R11, R10: the center's staffing (`title`, `count` > 0, `provided_by`)."""

    def check(item: Item) -> dict[str, list[str]]:
        errors = _need(item, "title", "provided_by")
        count = item.get("count")
        if not isinstance(count, int) or count <= 0:
            errors["count"] = [_("Số người là số dương / The count is a positive number")]
        return errors

    fields = ("title", "count", "provided_by")
    return _items_write(actor=actor, act=act, model=StaffPosition, items=items, fields=fields, check=check)
