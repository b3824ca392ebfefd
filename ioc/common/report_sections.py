"""The registry of report sections and figures (R8.1, R8.3; DESIGN "Domain overview and report sections").

Reports ("báo cáo", `ioc.reporting`) sit above the domain apps, so a domain adds its part of a report without
reporting's code knowing it: the domain app owns a `report_sections.py` that calls `register_section(Section(...))`
with the figures its own selectors answer, and `ioc.reporting` imports every such module at start
(`autodiscover_modules("report_sections")`).

A figure is computed for a `FigureContext` (the user whose rights apply, the DHIS2 period and the report's scope)
and answers one of three kinds:
- `value`: a number or short text, placed in the text by a placeholder `{{ code }}`;
- `table`: a `Table` (columns, rows, optional totals), drawn in the document and exported to the spreadsheet;
- a table figure may also be drawn as a chart (`{"chart": code, "column": n}` in a template block).

A section also proposes its default blocks (text with placeholders, tables, charts) and the template tags it
belongs to (`operations`, `briefing`…), so a ready template can say "every operations section" and a domain that
lands later joins it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar, cast

FigureKind = Literal["value", "table"]
ScopeKind = Literal["territory", "agency", "commune", "area"]
Cell = str | int | float | None
ALL_SCOPES = frozenset({"territory", "agency", "commune"})
TERRITORY = frozenset({"territory"})
# An area from the map selection (issue 17): only the figures that count points in an area (the domains'
# `*_counts_in_area`) can answer it; a figure not declaring it is left out and the report says so.
AREA = frozenset({"area"})
EVERY_SCOPE = ALL_SCOPES | AREA
T = TypeVar("T")


@dataclass(frozen=True)
class ReportScope:
    """R8.1: what a report covers: the whole territory, one agency (`agency_id`), one commune (`unit_id`) or an
    area from the map selection (`area`: an `ioc.geo` Area, `label` its description)."""

    kind: ScopeKind = "territory"
    agency_id: int | None = None
    unit_id: int | None = None
    area: Any = None
    label: str = ""
    # Issue 17: a thematic briefing narrowed to one item of a domain: `focus_kind` a registered `FocusKind` code
    # ("scenario", "sector"), `focus_code` the item's code. Only figures declaring the kind answer such a report.
    focus_kind: str = ""
    focus_code: str = ""


@dataclass(frozen=True)
class FigureContext:
    """What a figure is computed for: the user whose scope applies, the period (half-open, local time) and the
    report's scope. `now` is the clock the figures that move with time read (overdue while open). `memo` holds the
    answers several figures of one report share (`figure_memo`): a report computes all its figures on one context,
    so a selector several figures read runs once per report, not once per figure."""

    user: Any
    period_code: str
    start: dt.datetime
    end: dt.datetime
    scope: ReportScope
    now: dt.datetime
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)


def figure_memo(ctx: FigureContext, key: Any, compute: Callable[[], T]) -> T:
    """The answer of `compute` for this context, computed once (R8.1: a report's figures share their selectors'
    answers). `key` names the answer; callers use a tuple starting with the selector (a function), so two apps'
    keys never meet. The answer is shared: a figure reads it and never changes it."""
    if key not in ctx.memo:
        ctx.memo[key] = compute()
    return cast(T, ctx.memo[key])


def area_counts(ctx: FigureContext, hook: Callable[..., Mapping[str, Any]]) -> Mapping[str, Any]:
    """Issue 17: a domain's map hook `<app>_counts_in_area(user=, area=, start=, end=)` for the report's area and
    period, asked once per report however many `area_*` figures read it."""
    return figure_memo(
        ctx, (hook, "area"), lambda: hook(user=ctx.user, area=ctx.scope.area, start=ctx.start, end=ctx.end)
    )


def area_figure(hook: Callable[..., Mapping[str, Any]], name: str) -> Callable[[FigureContext], Any]:
    """A value figure reading one count (`total`, `open`…) of the map hook's answer for the report's area."""
    return lambda ctx: area_counts(ctx, hook)[name]


@dataclass(frozen=True)
class Table:
    """A figure's table: column titles (Vietnamese), rows of cells, an optional totals row."""

    columns: Sequence[Any]  # str or lazy msgids
    rows: Sequence[Sequence[Any]]  # cells: str, int, float or None
    totals: Sequence[Any] | None = None

    def as_data(self) -> dict[str, Any]:
        return {
            "columns": [str(c) for c in self.columns],
            "rows": [[_cell(c) for c in r] for r in self.rows],
            "totals": [_cell(c) for c in self.totals] if self.totals is not None else None,
        }


def _cell(value: Any) -> Cell:
    return value if value is None or isinstance(value, str | int | float) else str(value)


@dataclass(frozen=True)
class Figure:
    """A figure of a report, answered by the owning app's selectors; `code` is globally unique
    (`<app>.<name>`), `label` its Vietnamese name shown in the editor's list of placeholders."""

    code: str
    label: Any  # a lazy Vietnamese msgid
    kind: FigureKind
    compute: Callable[[FigureContext], Any]
    scopes: frozenset[str] = ALL_SCOPES
    focuses: frozenset[str] = frozenset()  # the focus kinds the figure narrows to (issue 17: a thematic briefing)

    def covers(self, scope: ReportScope) -> bool:
        """Whether the figure can be answered for the scope (a report leaves out the blocks of one that can't):
        the scope's kind, and its focus when the report is narrowed to one scenario or sector."""
        return scope.kind in self.scopes and (not scope.focus_kind or scope.focus_kind in self.focuses)


@dataclass(frozen=True)
class FocusKind:
    """Issue 17: what a thematic briefing can be narrowed to (one scenario, one sector), registered by the app
    that owns the items: `resolve(code)` answers the item's name or None for an unknown code, `choices()` the
    codes and names offered (the error for an unknown code lists them)."""

    code: str
    label: Any  # a lazy Vietnamese msgid
    resolve: Callable[[str], str | None]
    choices: Callable[[], Sequence[tuple[str, str]]]


@dataclass(frozen=True)
class Section:
    """A domain's part of reports: its title, its figures, its default blocks and the template tags it joins.

    Blocks are plain data: `{"text": "… {{ code }} …"}`, `{"table": code}`, `{"chart": code, "column": 1}`."""

    code: str
    title: Any  # a lazy Vietnamese msgid, rendered in the report's language
    order: int
    figures: Sequence[Figure]
    blocks: Sequence[Mapping[str, Any]]
    tags: frozenset[str] = field(default_factory=lambda: frozenset({"operations"}))
    requirement: str = "R8.1"


_SECTIONS: dict[str, Section] = {}
_FIGURES: dict[str, Figure] = {}
_FOCUSES: dict[str, FocusKind] = {}


def register_focus(focus: FocusKind) -> FocusKind:
    """Register (or re-register, on reload) a focus kind of thematic briefings (issue 17)."""
    _FOCUSES[focus.code] = focus
    return focus


def focus_get(code: str) -> FocusKind | None:
    return _FOCUSES.get(code)


def focuses() -> list[FocusKind]:
    return sorted(_FOCUSES.values(), key=lambda f: f.code)


def register_section(section: Section) -> Section:
    """Register (or re-register, on reload) a section and its figures; a figure code owned by another
    section is a programming error."""
    for figure in section.figures:
        owner = next((s.code for s in _SECTIONS.values() if figure.code in {f.code for f in s.figures}), None)
        if owner not in (None, section.code):
            raise ValueError(f"figure {figure.code} is already registered by section {owner}")
    _SECTIONS[section.code] = section
    for figure in section.figures:
        _FIGURES[figure.code] = figure
    return section


def sections(*, tag: str | None = None) -> list[Section]:
    """The registered sections in their order, those carrying `tag` when given."""
    found = [s for s in _SECTIONS.values() if tag is None or tag in s.tags]
    return sorted(found, key=lambda s: (s.order, s.code))


def section_get(code: str) -> Section | None:
    return _SECTIONS.get(code)


def figure_get(code: str) -> Figure | None:
    return _FIGURES.get(code)


def figures() -> list[Figure]:
    return sorted(_FIGURES.values(), key=lambda f: f.code)


def unregister_section(code: str) -> None:
    """Remove a section (tests that register a failing or temporary section clean up with it)."""
    section = _SECTIONS.pop(code, None)
    for figure in section.figures if section else ():
        _FIGURES.pop(figure.code, None)
