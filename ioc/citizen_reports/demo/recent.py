"""The last fortnight of the citizen-report demo, through the real services (R11; see `demo.py`).

Each report follows a planned timeline (received, verified, approved, forwarded, accepted or returned, progress,
resolved on time or late, published, rated or reopened); a step runs only once its planned moment has passed,
so the newest reports are still open. The services stamp the real clock: `Clock` notes the real window of each
step and `_retime` moves the report's rows to the planned moments afterwards (audit entries keep real time).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from ioc.accounts.models import User
from ioc.accounts.selectors import system_account
from ioc.agencies.models import Agency
from ioc.assignments import selectors as assignment_selectors
from ioc.assignments import services as assignment_services
from ioc.assignments.choices import AT_RISK_SHARE
from ioc.assignments.models import Assignment, AssignmentUpdate, Evidence
from ioc.audit.services import audit_record_bulk
from ioc.citizen_reports import services
from ioc.citizen_reports.choices import Channel, ReportStatus
from ioc.citizen_reports.demo import catalogue
from ioc.citizen_reports.demo.catalogue import CategorySpec
from ioc.citizen_reports.demo.draws import arrivals, canary_contact, channel_pick, describe, hours, point_in
from ioc.citizen_reports.demo.setup import PROCESS, RECENT_DAYS, World, officer_ensure
from ioc.citizen_reports.mailbox import MailMessage, message_parse
from ioc.citizen_reports.models import IntakeItem, Report, ReportEvent, ReportPhoto
from ioc.citizen_reports.services import intake
from ioc.common.images import CleanImage, image_clean
from ioc.worktime import selectors as worktime_selectors

S = ReportStatus
logger = logging.getLogger(__name__)
NEW_MAIL = 4  # e-mails left in the operator's intake inbox (one of them discarded)


# --- the clock of a report's steps ---------------------------------------------------------------------------


@dataclass
class Step:
    planned: dt.datetime
    start: dt.datetime
    end: dt.datetime


@dataclass
class Clock:
    """The real window of each step a service ran in, and the moment the step was planned for."""

    steps: list[Step] = field(default_factory=list)

    @contextlib.contextmanager
    def at(self, planned: dt.datetime) -> Iterator[None]:
        start = timezone.now()
        yield
        self.steps.append(Step(planned, start, timezone.now()))

    def map(self, value: dt.datetime) -> dt.datetime | None:
        for step in self.steps:
            if step.start <= value <= step.end:
                return step.planned + (value - step.start)
        return None


def _shift(instance: models.Model, clock: Clock) -> dict[str, dt.datetime]:
    changes = {}
    for model_field in instance._meta.concrete_fields:
        if isinstance(model_field, models.DateTimeField):
            value = getattr(instance, model_field.attname)
            moved = clock.map(value) if value is not None else None
            if moved is not None:
                setattr(instance, model_field.attname, moved)
                changes[model_field.attname] = moved
    return changes


def _shift_all(queryset: models.QuerySet[Any], clock: Clock) -> list[Any]:
    rows = list(queryset)
    for row in rows:
        changes = _shift(row, clock)
        if changes:
            type(row).objects.filter(pk=row.pk).update(**changes)
    return rows


def _retime(world: World, report_pk: int, clock: Clock) -> None:
    """Move the rows of one report to its planned moments; deadlines are recomputed in the agency's calendar."""
    for model in (ReportEvent, ReportPhoto):
        _shift_all(model.objects.filter(report_id=report_pk), clock)
    _shift_all(IntakeItem.objects.filter(report_id=report_pk), clock)
    assignments = _shift_all(Assignment.objects.filter(process=PROCESS, subject_id=str(report_pk)), clock)
    for assignment in assignments:
        _deadlines(world, assignment)
        _shift_all(AssignmentUpdate.objects.filter(assignment=assignment), clock)
        _shift_all(Evidence.objects.filter(assignment=assignment), clock)
    report = Report.objects.get(pk=report_pk)
    changes: dict[str, Any] = _shift(report, clock)
    current = next((a for a in assignments if a.pk == report.assignment_id), None)
    if current is not None:
        changes["deadline_at"] = report.deadline_at = current.deadline_at
    if report.status == S.PUBLISHED and report.resolved_at and report.deadline_at:
        changes["handled_on_time"] = report.resolved_at <= report.deadline_at
    Report.objects.filter(pk=report_pk).update(**changes)


def _deadlines(world: World, assignment: Assignment) -> None:
    calendar = world.calendar(assignment.agency)
    hours, start = assignment.working_hours, assignment.started_at
    changes: dict[str, Any] = {
        "deadline_at": worktime_selectors.deadline_add(start=start, working_hours=hours, calendar=calendar),
        "at_risk_at": worktime_selectors.deadline_add(
            start=start, working_hours=hours * AT_RISK_SHARE, calendar=calendar
        ),
    }
    if assignment.next_escalation_at is not None and assignment.escalation_chain_id:
        steps = assignment_selectors.escalation_steps(chain_id=assignment.escalation_chain_id)
        if assignment.escalation_level < len(steps):
            share = steps[assignment.escalation_level].at_share
            changes["next_escalation_at"] = worktime_selectors.deadline_add(
                start=start, working_hours=hours * share, calendar=calendar
            )
    for name, value in changes.items():
        setattr(assignment, name, value)
    Assignment.objects.filter(pk=assignment.pk).update(**changes)


# --- photos and e-mail -------------------------------------------------------------------------------------------

_PHOTOS: dict[tuple[str, str], CleanImage] = {}


def photo(spec: CategorySpec, kind: str) -> CleanImage:
    """A small generated photo per category (the report's, or the agency's evidence), through image_clean."""
    key = (spec.code, kind)
    if key not in _PHOTOS:
        shade = sum(map(ord, spec.code)) % 200
        image = Image.new("RGB", (640, 480), (40 + shade // 2, 90, 60 + shade // 3))
        draw = ImageDraw.Draw(image)
        draw.rectangle((80, 300, 560, 420), fill=(90, 90, 90) if kind == "report" else (60, 140, 70))
        draw.ellipse((250, 320, 390, 380), fill=(30, 30, 30) if kind == "report" else (120, 120, 120))
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=80)
        _PHOTOS[key] = image_clean(buffer.getvalue(), filename="demo.jpg")
    return _PHOTOS[key]


class MemorySource:
    """A mailbox held in memory, for driving the real intake service in the demo."""

    label = "demo"

    def __init__(self, messages: list[MailMessage]) -> None:
        self.messages = messages

    def fetch(self, *, limit: int) -> list[MailMessage]:
        return self.messages[:limit]

    def mark_done(self, keys: Any) -> None:
        return None


def _mail(world: World, *, subject: str, text: str, sender: str, photos: list[CleanImage]) -> IntakeItem:
    message = EmailMessage()
    message["From"], message["To"] = sender, "phananh@ioc.canary.invalid"
    message["Subject"], message["Date"] = subject, format_datetime(timezone.now())
    message_id = f"<demo-{world.rng.getrandbits(64):016x}@canary.invalid>"
    message["Message-ID"] = message_id
    message.set_content(text)
    for image in photos:
        message.add_attachment(image.content, maintype="image", subtype="jpeg", filename="anh-hien-truong.jpg")
    parsed = message_parse(message.as_bytes(), key=message_id)
    intake.intake_fetch(source=MemorySource([parsed]))
    return IntakeItem.objects.get(message_id=message_id)


# --- one report ---------------------------------------------------------------------------------------------------


@dataclass
class Run:
    """One recent report being driven: its world, clock and the time of its last step."""

    world: World
    spec: CategorySpec
    clock: Clock
    t: dt.datetime
    report: Report | None = None
    token: str = ""

    def due(self, after: dt.timedelta) -> bool:
        """Advance the planned time; True when that moment has already passed (the step happens)."""
        self.t += after
        return self.t <= self.world.until

    def fresh(self) -> Report:
        assert self.report is not None
        self.report.refresh_from_db()
        return self.report


def _receive(run: Run) -> None:
    world, spec, rng = run.world, run.spec, run.world.rng
    category = world.categories[spec.code]
    unit = rng.choices(world.communes, weights=world.weights)[0]
    lat, lon = point_in(world, unit)
    channel = channel_pick(rng)
    contact = canary_contact(world)
    text = describe(world, spec)
    photos = (
        [photo(spec, "report")]
        if channel in (Channel.WEB, Channel.OPEN311, Channel.EMAIL) and rng.random() < 0.4
        else []
    )
    with run.clock.at(run.t):
        if channel == Channel.EMAIL:
            sender = (
                contact.email if contact and contact.email else ""
            ) or f"nguoidan.thu{rng.randrange(999)}@canary.invalid"
            item = _mail(world, subject=spec.name, text=text, sender=sender, photos=photos)
            run.report = intake.intake_item_convert(
                item=item, actor=world.operator, category=category, lat=lat, lon=lon, description=text
            )
            return
        where: dict[str, Any] = {"lat": lat, "lon": lon}
        if channel == Channel.HOTLINE and rng.random() < 0.2:
            where = {"unit": unit, "address": "Gần %s, %s" % (rng.choice(catalogue.LANDMARKS), unit.name)}  # noqa: UP031
        received = services.report_receive(
            channel=channel,
            category=category,
            description=text,
            contact=contact,
            photos=photos,
            anonymous_to_public=rng.random() < 0.85,
            social_url="https://www.facebook.com/groups/phananh/posts/2" if channel == Channel.SOCIAL else "",
            source_system=world.app if channel == Channel.OPEN311 else None,
            actor=_actor(world, channel),
            **where,
        )
    run.report, run.token = received.report, received.private_token


def _actor(world: World, channel: str) -> User | None:
    if channel == Channel.OPEN311 and world.app is not None:
        return world.app.service_user
    if channel in (Channel.HOTLINE, Channel.SOCIAL):
        return world.operator
    return None


def _triage(run: Run, originals: dict[str, list[Report]]) -> bool:
    """Spam, rejection or duplicate (False: the report stops here); else verified (and approved)."""
    world, rng = run.world, run.world.rng
    if not run.due(hours(rng.uniform(0.3, 6))):
        return False
    draw, operator = rng.random(), world.operator
    candidates = [r for r in originals.get(run.spec.code, []) if r.status not in (S.REJECTED, S.SPAM, S.DUPLICATE)]
    with run.clock.at(run.t):
        report = run.fresh()
        if draw < 0.02:
            services.report_mark_spam(report=report, actor=operator, reason="Tin quảng cáo, không phải phản ánh.")
            return False
        if draw < 0.09:
            services.report_reject(report=report, actor=operator, reason=rng.choice(catalogue.REJECT_REASONS))
            return False
        if draw < 0.14 and candidates:
            services.report_mark_duplicate(report=report, original=candidates[-1], actor=operator)
            return False
        services.report_verify(report=report, actor=operator)
    originals.setdefault(run.spec.code, []).append(report)
    if run.spec.requires_leader_approval:
        if not run.due(hours(rng.uniform(1, 10))):
            return False
        with run.clock.at(run.t):
            services.report_approve(report=run.fresh(), actor=world.leader)
    return True


def _forward(run: Run, agency: Agency | None = None) -> Assignment | None:
    if not run.due(hours(run.world.rng.uniform(0.1, 3))):
        return None
    with run.clock.at(run.t):
        report = services.report_forward(report=run.fresh(), actor=run.world.operator, agency=agency)
    assert report.assignment_id is not None
    return Assignment.objects.select_related("agency").get(pk=report.assignment_id)


def _officer(world: World, agency: Agency) -> User:
    if agency.pk not in world.officers:
        world.officers[agency.pk] = officer_ensure(world.profile, agency, world.leader)
    return world.officers[agency.pk]


def _agency_work(run: Run, assignment: Assignment) -> None:
    """Accepted (or returned once by a commune committee and forwarded on), progress, resolved."""
    world, spec, rng = run.world, run.spec, run.world.rng
    calendar = world.calendar(assignment.agency)
    planned_deadline = worktime_selectors.deadline_add(
        start=run.t, working_hours=spec.handling_hours, calendar=calendar
    )
    forwarded, span = run.t, planned_deadline - run.t
    if assignment.agency.unit_id and rng.random() < 0.08:
        if not run.due(span * rng.uniform(0.02, 0.1)):
            return
        with run.clock.at(run.t):
            assignment_services.assignment_return(
                assignment=assignment, actor=_officer(world, assignment.agency), reason=catalogue.RETURN_REASONS[0]
            )
        default = world.categories[spec.code].default_agency
        found = _forward(run, agency=default)
        if found is None:
            return
        assignment, forwarded = found, run.t
        planned_deadline = worktime_selectors.deadline_add(
            start=run.t, working_hours=spec.handling_hours, calendar=world.calendar(found.agency)
        )
        span = planned_deadline - run.t
    officer = _officer(world, assignment.agency)
    if not run.due(span * rng.uniform(0.02, 0.15)):
        return
    with run.clock.at(run.t):
        assignment_services.assignment_accept(assignment=assignment, actor=officer)
    if rng.random() < 0.5 and run.due(span * rng.uniform(0.05, 0.2)):
        with run.clock.at(run.t):
            assignment_services.assignment_progress(
                assignment=assignment, actor=officer, text=rng.choice(catalogue.PROGRESS_NOTES), is_public=True
            )
    late = rng.random() < spec.late_share
    target = planned_deadline + hours(rng.uniform(2, 72)) if late else forwarded + span * rng.uniform(0.35, 0.97)
    if not run.due(max(target - run.t, dt.timedelta(minutes=20))):
        return
    evidence = [photo(spec, "evidence")] if spec.evidence_photo_required else []
    with run.clock.at(run.t):
        assignment_services.assignment_resolve(
            assignment=assignment, actor=officer, resolution=rng.choice(spec.results), evidence=evidence
        )
    _publish(run, assignment)


def _publish(run: Run, assignment: Assignment) -> None:
    world, rng = run.world, run.world.rng
    if not run.due(hours(rng.uniform(1, 20))):
        return
    with run.clock.at(run.t):
        report = run.fresh()
        photos = list(ReportPhoto.objects.filter(report=report).values_list("pk", flat=True)[:1])
        services.report_publish(
            report=report,
            actor=world.operator,
            result=assignment.resolution or run.spec.results[0],
            public_photo_ids=photos,
        )
    if not run.token:
        return
    draw = rng.random()
    if draw < 0.55 and run.due(hours(rng.uniform(2, 72))):
        rating = rng.choices((1, 2, 3, 4, 5), weights=(3, 5, 12, 35, 45))[0]
        with run.clock.at(run.t):
            services.report_rate(
                report=run.fresh(),
                private_token=run.token,
                rating=rating,
                comment=rng.choice(catalogue.RATING_COMMENTS),
            )
    elif draw > 0.95 and run.due(hours(rng.uniform(5, 72))):
        with run.clock.at(run.t), transaction.atomic():
            try:
                services.report_reopen(
                    report=run.fresh(), private_token=run.token, reason=rng.choice(catalogue.REOPEN_REASONS)
                )
            except PermissionDenied:  # the reopen path refuses a citizen actor; logged, the report stays published
                logger.warning("demo: report_reopen refused for report %s", run.report.pk if run.report else None)
                transaction.set_rollback(True)


def drive_one(world: World, spec: CategorySpec, t0: dt.datetime, originals: dict[str, list[Report]]) -> int:
    """One report through the services as far as its planned timeline has got by `until`; returns its pk."""
    run = Run(world=world, spec=spec, clock=Clock(), t=t0)
    _receive(run)
    assert run.report is not None
    report = run.fresh()
    if report.needs_location or report.unit_id is None:
        pass  # address-only reports wait for the operator to place them
    elif _triage(run, originals):
        assignment = _forward(run)
        if assignment is not None:
            _agency_work(run, assignment)
    _retime(world, report.pk, run.clock)
    return int(report.pk)


def _inbox(world: World) -> None:
    """A few e-mails left for the operator: new ones to turn into reports, and one discarded."""
    rng = world.rng
    for n in range(NEW_MAIL):
        spec = rng.choice(catalogue.CATEGORIES)
        clock = Clock()
        with clock.at(world.until - hours(rng.uniform(0.5, 30))):
            item = _mail(
                world, subject=spec.name, text=describe(world, spec), sender=f"thu.moi{n}@canary.invalid", photos=[]
            )
            if n == NEW_MAIL - 1:
                item = intake.intake_item_discard(
                    item=item, actor=world.operator, reason="Thư quảng cáo, không phải phản ánh."
                )
        _shift_all(IntakeItem.objects.filter(pk=item.pk), clock)


def recent_drive(world: World) -> int:
    """R11: the last RECENT_DAYS of reports through the real services, retimed to their planned moments."""
    start = world.until - dt.timedelta(days=RECENT_DAYS)
    first, last = start.astimezone(catalogue_tz()).date(), world.until.astimezone(catalogue_tz()).date()
    planned = sorted((m, spec.code) for spec, m in arrivals(world, first, last) if start <= m <= world.until)
    originals: dict[str, list[Report]] = {}
    done = []
    for moment, code in planned:
        done.append((drive_one(world, world.specs[code], moment, originals), moment))
    _inbox(world)
    if done:
        audit_record_bulk(
            actor=system_account(),
            action="report.demo_retime",
            object_type="citizen_reports.report",
            rows=[(pk, moment.isoformat()) for pk, moment in done],
            changes={"profile": world.profile.key, "reports": len(done)},
        )
    return len(done)


def catalogue_tz() -> dt.tzinfo:
    return worktime_selectors.LOCAL_TZ
