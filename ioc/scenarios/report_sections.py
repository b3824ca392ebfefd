"""R8.1, R4.6, R5.2: operating scenarios and public warnings in the reports, registered with
`ioc.common.report_sections`.

The figures are the answers of this app's selectors for the report's period: the activations the user may see
(`selectors.activation_list`) and the warnings sent to the public (`selectors.warnings_sent`). They cover the
territory: a report of one agency or commune leaves this section out. Issue 17: a thematic briefing narrowed to
one scenario (focus "scenario", registered here, by the scenario's code) counts that scenario's activations and the
warnings sent about the incidents it ran for.
"""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from ioc.common.report_sections import (
    TERRITORY,
    Figure,
    FigureContext,
    FocusKind,
    Section,
    Table,
    register_focus,
    register_section,
)
from ioc.scenarios import selectors
from ioc.scenarios.choices import MessageType
from ioc.scenarios.models import Activation

SCENARIO = "scenario"
FOCUSES = frozenset({SCENARIO})


def _scenario_resolve(code: str) -> str | None:
    """A scenario by its code (its name, retired ones too: a briefing may look back), or None."""
    return selectors.scenario_list().filter(code=code).values_list("name", flat=True).first()


def _scenario_choices() -> list[tuple[str, str]]:
    return list(selectors.scenario_list().order_by("code").values_list("code", "name"))


FOCUS = register_focus(FocusKind(SCENARIO, _("Kịch bản"), _scenario_resolve, _scenario_choices))


def _scenario(ctx: FigureContext) -> str:
    return ctx.scope.focus_code if ctx.scope.focus_kind == SCENARIO else ""


def period_activations(ctx: FigureContext) -> QuerySet[Activation]:
    """Scenario activations in the period, in the user's scope (of the report's scenario when narrowed)."""
    qs = selectors.activation_list(user=ctx.user).filter(activated_at__gte=ctx.start, activated_at__lt=ctx.end)
    code = _scenario(ctx)
    return qs.filter(scenario__code=code) if code else qs


def activations(ctx: FigureContext) -> int:
    """Scenario activations in the period, in the user's scope."""
    return period_activations(ctx).count()


def warnings_sent(ctx: FigureContext) -> int:
    """New public warnings (CAP "Alert" messages, not updates or cancellations) sent in the period."""
    sent = selectors.warnings_sent(start=ctx.start, end=ctx.end, scenario_code=_scenario(ctx))
    return sent.filter(msg_type=MessageType.ALERT).count()


def by_scenario(ctx: FigureContext) -> Table:
    rows = period_activations(ctx).order_by().values_list("scenario__name").annotate(n=Count("pk"))
    ordered = sorted(rows, key=lambda row: (-row[1], row[0]))
    return Table(
        columns=(_("Kịch bản"), _("Số lần kích hoạt")),
        rows=[[name, n] for name, n in ordered],
        totals=[str(_("Tổng cộng")), sum(n for _name, n in ordered)],
    )


FIGURES = (
    Figure("scenarios.activations", _("Lần kích hoạt kịch bản"), "value", activations, TERRITORY, FOCUSES),
    Figure("scenarios.warnings", _("Cảnh báo phát cho người dân"), "value", warnings_sent, TERRITORY, FOCUSES),
    Figure("scenarios.by_scenario", _("Kích hoạt theo kịch bản"), "table", by_scenario, TERRITORY, FOCUSES),
)

SECTION = register_section(
    Section(
        code="scenarios",
        title=_("Kịch bản điều hành và cảnh báo cho người dân"),
        order=45,
        figures=FIGURES,
        blocks=(
            {
                "text": "Trong kỳ, các kịch bản điều hành được kích hoạt {{ scenarios.activations }} lần; Trung tâm "
                "phát {{ scenarios.warnings }} cảnh báo cho người dân."
            },
            {"table": "scenarios.by_scenario"},
        ),
        tags=frozenset({"operations", "briefing"}),
        requirement="R4.6, R5.2",
    )
)
