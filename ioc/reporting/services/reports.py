"""Every write of reports (R8.1–R8.3): generate, edit, refresh, issue, correct; the ready templates.

Each service checks the actor's rights and the state, writes, records the audit entry and schedules side effects
on commit. A refusal raises ValidationError / PermissionDenied naming the field and the reason and writes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ioc.accounts.selectors import user_scope
from ioc.audit.services import audit_record
from ioc.common.periods import LOCAL_TZ, period_parse
from ioc.common.report_sections import FigureContext, ReportScope, focus_get
from ioc.common.roles import actor_require_role
from ioc.common.text import fold
from ioc.reporting import compose
from ioc.reporting.areas import area_parse, area_scope
from ioc.reporting.catalogue import READY
from ioc.reporting.choices import (
    CADENCE_EXAMPLE,
    CADENCE_PATTERN,
    FOCUS_KINDS,
    NUMBER_SUFFIX,
    Cadence,
    ReportState,
    ScopeKind,
)
from ioc.reporting.content import period_label
from ioc.reporting.models import Report, ReportTemplate
from ioc.reporting.permissions import AUTHOR_ROLES

if TYPE_CHECKING:
    from ioc.accounts.models import User
    from ioc.agencies.models import Agency
    from ioc.geo.models import AdminUnit

TEXT_MAX = 20000
FOCUS_CODES_SHOWN = 12  # an unknown focus code's error lists this many of the codes that exist


def report_templates_ensure(*, using: str = "default") -> int:
    """R8.1: create the ready templates that are missing (by code); existing ones are left as edited."""
    have = set(ReportTemplate.objects.using(using).values_list("code", flat=True))
    missing = [ReportTemplate(**row) for row in READY if row["code"] not in have]
    ReportTemplate.objects.using(using).bulk_create(missing)
    return len(missing)


def _require_author(actor: User) -> None:
    actor_require_role(actor, AUTHOR_ROLES, _("Không có quyền lập báo cáo / Not allowed to write reports"))


def _check_period(template: ReportTemplate, period: str) -> None:
    try:
        period_parse(period)
    except ValidationError as exc:
        raise ValidationError({"period": exc.messages}) from exc
    pattern = CADENCE_PATTERN.get(template.cadence)
    if pattern is not None and not pattern.fullmatch(period):
        message = _("Kỳ %(period)s không khớp kỳ báo cáo “%(cadence)s” của mẫu (ví dụ %(example)s).")
        cadence = Cadence(template.cadence)
        raise ValidationError(
            {"period": [message % {"period": period, "cadence": cadence.label, "example": CADENCE_EXAMPLE[cadence]}]}
        )


@dataclasses.dataclass(frozen=True)
class Focus:
    """Issue 17: a thematic briefing's narrowing, checked: the focus kind, the item's code and its name."""

    kind: str = ""
    code: str = ""
    label: str = ""


def _check_focus(template: ReportTemplate, kind: str, code: str) -> Focus:
    """The narrowing to one scenario or sector, refused (naming the field and why) for a template that is not a
    thematic briefing, a kind no app registered, or a code naming no item of that kind."""
    kind, code = (kind or "").strip(), (code or "").strip()
    if not kind and not code:
        return Focus()
    focus = focus_get(kind)
    if focus is None:
        raise ValidationError({"focus_kind": [_("Chọn kịch bản hoặc lĩnh vực để thu hẹp báo cáo chuyên đề.")]})
    if template.kind not in FOCUS_KINDS:
        message = _("Chỉ báo cáo chuyên đề thu hẹp được theo một kịch bản hoặc lĩnh vực; mẫu “%(template)s” thì không.")
        raise ValidationError({"focus_kind": [message % {"template": template.name}]})
    if not code:
        raise ValidationError({"focus_code": [_("Nhập mã %(kind)s.") % {"kind": str(focus.label).lower()}]})
    with translation.override("vi"):  # the document's language (a sector's label is lazy), whoever generates it
        label = focus.resolve(code)
    if label is None:
        known = ", ".join(c for c, _name in list(focus.choices())[:FOCUS_CODES_SHOWN]) or "—"
        message = _("Không có %(kind)s mã “%(code)s” (các mã: %(known)s).")
        raise ValidationError(
            {"focus_code": [message % {"kind": str(focus.label).lower(), "code": code, "known": known}]}
        )
    with translation.override("vi"):  # the document's language, whoever generates it
        return Focus(kind=kind, code=code, label=f"{focus.label} {label}")


def _scope(actor: User, kind: str, agency: Agency | None, unit: AdminUnit | None) -> ReportScope:
    """The report's scope, refused when outside the actor's rights (naming the field and why)."""
    rights = user_scope(user=actor)
    if kind == ScopeKind.AGENCY:
        if agency is None:
            raise ValidationError({"scope_agency": [_("Chọn cơ quan cho báo cáo theo cơ quan.")]})
        if not rights.everything and agency.pk not in rights.agency_ids:
            message = _("Cơ quan “%(agency)s” ngoài phạm vi quyền của bạn.")
            raise ValidationError({"scope_agency": [message % {"agency": agency.name}]})
        return ReportScope(kind="agency", agency_id=agency.pk)
    if kind == ScopeKind.COMMUNE:
        if unit is None:
            raise ValidationError({"scope_unit": [_("Chọn xã, phường cho báo cáo theo xã, phường.")]})
        inside = any(unit.path == p or unit.path.startswith(p + "/") for p in rights.unit_paths)
        if not rights.everything and not inside:
            message = _("Xã, phường “%(unit)s” ngoài phạm vi quyền của bạn.")
            raise ValidationError({"scope_unit": [message % {"unit": unit.full_name}]})
        return ReportScope(kind="commune", unit_id=unit.pk)
    if kind != ScopeKind.TERRITORY:
        raise ValidationError({"scope_kind": [_("Phạm vi báo cáo không hợp lệ.")]})
    if not rights.everything:
        raise ValidationError({"scope_kind": [_("Chỉ cán bộ, lãnh đạo IOC lập báo cáo toàn địa bàn; chọn cơ quan.")]})
    return ReportScope()


def context_for(report: Report, *, actor: User, now: dt.datetime | None = None) -> FigureContext:
    """The figures' context of a report: its period, its scope and the actor's rights."""
    period = period_parse(report.period)
    if report.scope_kind == ScopeKind.AREA:  # rebuilt from the stored selection; the rights were checked at generate
        scope = area_parse(report.scope_area).scope()
    else:
        scope = ReportScope(
            kind=report.scope_kind,  # type: ignore[arg-type]
            agency_id=report.scope_agency_id,
            unit_id=report.scope_unit_id,
        )
    if report.focus_kind:  # issue 17: the thematic briefing's narrowing, kept with the report
        scope = dataclasses.replace(scope, focus_kind=report.focus_kind, focus_code=report.focus_code)
    return FigureContext(
        user=actor,
        period_code=report.period,
        start=period.start,
        end=period.end,
        scope=scope,
        now=now or timezone.now(),
    )


def _search_text(report: Report) -> str:
    parts = [report.title, report.number, report.period, period_label(report.period), report.template.name]
    return fold(" ".join(p for p in parts if p))


def report_generate(
    *,
    actor: User,
    template: ReportTemplate,
    period: str,
    scope_kind: str = ScopeKind.TERRITORY,
    agency: Agency | None = None,
    unit: AdminUnit | None = None,
    area: Any = None,
    focus_kind: str = "",
    focus_code: str = "",
    now: dt.datetime | None = None,
) -> Report:
    """R8.1, R8.3: a draft of `template` for `period` (a DHIS2 id matching the template's cadence) and a scope
    within the actor's rights, its figures asked from the registered sections' selectors. Issue 17: the scope
    `area` takes an area of the map selection (`area`: as POST /api/v1/maps/selection/ takes it; `areas.py`); a
    thematic briefing may be narrowed to one scenario or sector (`focus_kind`, `focus_code`), checked like the
    period and kept with the report."""
    _require_author(actor)
    if not template.is_active:
        raise ValidationError({"template": [_("Mẫu báo cáo này đã ngừng sử dụng.")]})
    _check_period(template, period)
    focus = _check_focus(template, focus_kind, focus_code)
    parsed = area_scope(actor=actor, data=area) if scope_kind == ScopeKind.AREA else None
    scope = parsed.scope() if parsed is not None else _scope(actor, scope_kind, agency, unit)
    scope = dataclasses.replace(scope, focus_kind=focus.kind, focus_code=focus.code)
    content = compose.expand(template.sections, scope)
    compose.check(content)
    if focus.kind and not compose.content_figures(content):
        message = _("Không có số liệu nào của “%(focus)s” cho phạm vi này.")
        raise ValidationError({"focus_kind": [message % {"focus": focus.label}]})
    moment = now or timezone.now()
    report = Report(
        template=template,
        period=period,
        scope_kind=scope.kind,
        scope_agency=agency if scope.kind == "agency" else None,
        scope_unit=unit if scope.kind == "commune" else None,
        scope_area=parsed.selection if parsed is not None else None,
        scope_label=scope.label,
        focus_kind=focus.kind,
        focus_code=focus.code,
        focus_label=focus.label,
        title=_title(template, period, focus),
        content=content,
        recipients=template.recipients,
        created_by=actor,
        refreshed_at=moment,
    )
    # The selectors run before the transaction (on SQLite it holds the only write lock: DESIGN "Hot paths").
    report.figures = compose.compute(compose.content_figures(content), context_for(report, actor=actor, now=now))
    report.search_text = _search_text(report)
    with transaction.atomic():
        report.save()
        changes: dict[str, Any] = {"period": period, "scope": scope.kind}
        if report.scope_area is not None:
            changes["area"] = report.scope_label
        if focus.kind:
            changes["focus"] = f"{focus.kind}:{focus.code}"
        audit_record(actor=actor, action="report.generate", obj=report, changes=changes)
    return report


def _title(template: ReportTemplate, period: str, focus: Focus) -> str:
    """The template's title for the period; a narrowed briefing names its scenario or sector after it."""
    title = template.title.replace("{period_label}", period_label(period))
    return f"{title}: {focus.label}"[:300] if focus.kind else title


def _require_draft(report: Report) -> None:
    if report.state != ReportState.DRAFT:
        message = _("Báo cáo đã ban hành không sửa được; hãy lập bản đính chính (phiên bản mới).")
        raise ValidationError({"state": [message]}, code="issued")


def _locked(report: Report) -> Report:
    """The report re-read under the transaction, so two editors never both pass the state check."""
    return Report.objects.select_for_update().get(pk=report.pk)


@transaction.atomic
def report_edit(
    *,
    actor: User,
    report: Report,
    title: str | None = None,
    texts: Mapping[str, str] | None = None,
    recipients: str | None = None,
    signer_title: str | None = None,
    signer_name: str | None = None,
    now: dt.datetime | None = None,
) -> Report:
    """R8.3: the editor adjusts a draft's text (placeholders stay linked to their figures; a new placeholder must
    name a registered figure and is answered at once), its title, recipients and signer."""
    _require_author(actor)
    report = _locked(report)
    _require_draft(report)
    changes: dict[str, Any] = {}
    if title is not None:
        changes["title"] = _checked_text("title", title, 300, required=True)
    for name, value, limit in (
        ("recipients", recipients, 2000),
        ("signer_title", signer_title, 120),
        ("signer_name", signer_name, 120),
    ):
        if value is not None:
            changes[name] = _checked_text(name, value, limit)
    content = _edited_content(report.content, texts or {})
    compose.check(content, field="texts")
    missing = [c for c in compose.content_figures(content) if c not in report.figures]
    figures = {**report.figures, **compose.compute(missing, context_for(report, actor=actor, now=now))}
    for name, value in changes.items():
        setattr(report, name, value)
    report.content, report.figures = content, figures
    report.search_text = _search_text(report)
    report.save()
    audit_record(actor=actor, action="report.edit", obj=report, changes={**changes, "blocks": sorted(texts or {})})
    return report


def _checked_text(field: str, value: str, limit: int, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: [_("Không được để trống.")]})
    if len(value) > limit:
        raise ValidationError({field: [_("Dài quá %(limit)s ký tự.") % {"limit": limit}]})
    return value


def _edited_content(content: list[dict[str, Any]], texts: Mapping[str, str]) -> list[dict[str, Any]]:
    editable = {b["id"]: b for s in content for b in s["blocks"] if "text" in b}
    unknown = sorted(set(texts) - set(editable))
    if unknown:
        message = _("Không có đoạn văn bản %(ids)s trong báo cáo này.")
        raise ValidationError({"texts": [message % {"ids": ", ".join(unknown)}]})
    new = [{"title": s["title"], "blocks": [dict(b) for b in s["blocks"]]} for s in content]
    for section in new:
        for block in section["blocks"]:
            if block["id"] in texts:
                block["text"] = _checked_text("texts", texts[block["id"]], TEXT_MAX)
    return new


def report_refresh(*, actor: User, report: Report, now: dt.datetime | None = None) -> Report:
    """R8.3: a draft's figures asked again from their selectors for the same period and scope (asked before the
    transaction; the state is checked again inside it)."""
    _require_author(actor)
    _require_draft(report)
    ctx = context_for(report, actor=actor, now=now)
    figures = compose.compute(compose.content_figures(report.content), ctx)
    with transaction.atomic():
        report = _locked(report)
        _require_draft(report)
        before, report.figures, report.refreshed_at = report.figures, figures, ctx.now
        report.save(update_fields=["figures", "refreshed_at", "updated_at"])
        changed = sorted(code for code, value in figures.items() if before.get(code) != value)
        audit_record(actor=actor, action="report.refresh", obj=report, changes={"changed": changed})
    return report


def _next_number(year: int) -> str:
    taken = Report.objects.filter(state=ReportState.ISSUED, issued_year=year).count()
    return f"{taken + 1}/{NUMBER_SUFFIX}"


def report_issue(
    *,
    actor: User,
    report: Report,
    number: str = "",
    issued_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Report:
    """R8.3: issue a draft: its number (the next of the year unless given) and date are set, the .docx and .xlsx
    are built once from the frozen text and figures (before the transaction) and kept with the document's
    SHA-256; never changed after."""
    from ioc.reporting.documents import build_docx
    from ioc.reporting.services.calendar import obligation_submission_record
    from ioc.reporting.workbooks import build_xlsx

    _require_author(actor)
    report = Report.objects.get(pk=report.pk)
    _require_draft(report)
    moment = now or timezone.now()
    report.issued_on = issued_on or moment.astimezone(LOCAL_TZ).date()
    report.issued_year = report.issued_on.year
    report.number = _checked_text("number", number, 40) or _next_number(report.issued_year)
    _require_free_number(report)
    report.state, report.issued_at, report.issued_by = ReportState.ISSUED, moment, actor
    report.document, report.workbook = build_docx(report), build_xlsx(report)
    report.document_sha256 = hashlib.sha256(report.document).hexdigest()
    report.search_text = _search_text(report)
    with transaction.atomic():
        _require_draft(_locked(report))
        _require_free_number(report)  # taken meanwhile: the user issues again and gets the next number
        report.save()
        obligation_submission_record(report=report)
        audit_record(
            actor=actor,
            action="report.issue",
            obj=report,
            changes={"number": report.number, "issued_on": report.issued_on.isoformat()},
            digest=report.document_sha256,
        )
    return report


def _require_free_number(report: Report) -> None:
    taken = Report.objects.filter(number=report.number, issued_year=report.issued_year).exclude(pk=report.pk)
    if taken.exists():
        message = _("Số văn bản %(number)s đã được dùng trong năm %(year)s.")
        raise ValidationError({"number": [message % {"number": report.number, "year": report.issued_year}]})


@transaction.atomic
def report_correct(*, actor: User, report: Report, now: dt.datetime | None = None) -> Report:
    """R8.3: a correction of an issued report: a new draft version (text kept, figures asked again) pointing at
    the version it corrects; the issued one stays as it was."""
    _require_author(actor)
    if report.state != ReportState.ISSUED:
        raise ValidationError({"state": [_("Chỉ lập bản đính chính cho báo cáo đã ban hành.")]})
    if Report.objects.filter(corrects=report).exists():
        raise ValidationError({"state": [_("Báo cáo này đã có bản đính chính.")]})
    fresh = Report(
        template=report.template,
        period=report.period,
        scope_kind=report.scope_kind,
        scope_agency=report.scope_agency,
        scope_unit=report.scope_unit,
        scope_area=report.scope_area,
        scope_label=report.scope_label,
        focus_kind=report.focus_kind,
        focus_code=report.focus_code,
        focus_label=report.focus_label,
        title=report.title,
        version=report.version + 1,
        corrects=report,
        content=report.content,
        recipients=report.recipients,
        signer_title=report.signer_title,
        signer_name=report.signer_name,
        created_by=actor,
        refreshed_at=now or timezone.now(),
    )
    fresh.figures = compose.compute(compose.content_figures(fresh.content), context_for(fresh, actor=actor, now=now))
    fresh.search_text = _search_text(fresh)
    fresh.save()
    audit_record(actor=actor, action="report.correct", obj=fresh, changes={"corrects": report.pk})
    return fresh
