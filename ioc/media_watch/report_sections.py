"""R8.1, R5.7: the online-information watch in the reports (volume, hot topics, complaints, answers on time, how the
authorities' own announcements landed),
registered with `ioc.common.report_sections`; territory-wide only."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ioc.common.report_sections import TERRITORY, Figure, FigureContext, Section, Table, register_section
from ioc.media_watch.selectors.stats import media_watch_by_topic, media_watch_period


def _value(name: str) -> Any:
    return lambda ctx: media_watch_period(user=ctx.user, start=ctx.start, end=ctx.end)[name]


def by_topic(ctx: FigureContext) -> Table:
    rows = media_watch_by_topic(user=ctx.user, start=ctx.start, end=ctx.end)
    return Table(columns=(_("Chủ đề"), _("Số tin")), rows=[[name, n] for name, n in rows])


FIGURES = (
    Figure("media_watch.items", _("Tin thu thập trên mạng"), "value", _value("items"), TERRITORY),
    Figure("media_watch.negative", _("Tin mang sắc thái tiêu cực"), "value", _value("negative"), TERRITORY),
    Figure("media_watch.hot", _("Cảnh báo chủ đề nóng"), "value", _value("hot"), TERRITORY),
    Figure("media_watch.reports", _("Tin chuyển thành phản ánh"), "value", _value("reports"), TERRITORY),
    Figure("media_watch.forwarded", _("Tin chuyển cơ quan trả lời"), "value", _value("forwarded"), TERRITORY),
    Figure("media_watch.on_time", _("Trả lời đúng hạn"), "value", _value("on_time"), TERRITORY),
    Figure("media_watch.by_topic", _("Tin theo chủ đề"), "table", by_topic, TERRITORY),
    Figure("media_watch.official", _("Tin dẫn thông tin của cơ quan nhà nước"), "value", _value("official"), TERRITORY),
    Figure(
        "media_watch.official_positive",
        _("Tin dẫn thông tin của cơ quan nhà nước, sắc thái tích cực"),
        "value",
        _value("official_positive"),
        TERRITORY,
    ),
    Figure(
        "media_watch.official_negative",
        _("Tin dẫn thông tin của cơ quan nhà nước, sắc thái tiêu cực"),
        "value",
        _value("official_negative"),
        TERRITORY,
    ),
)

SECTION = register_section(
    Section(
        code="media_watch",
        title=_("Thông tin trên mạng"),
        order=55,
        figures=FIGURES,
        blocks=(
            {
                "text": "Trong kỳ, hệ thống thu thập {{ media_watch.items }} tin trên báo chí, mạng xã hội, trong đó "
                "{{ media_watch.negative }} tin mang sắc thái tiêu cực; {{ media_watch.hot }} cảnh báo chủ đề nóng. "
                "{{ media_watch.reports }} tin được chuyển thành phản ánh, {{ media_watch.forwarded }} tin chuyển "
                "cơ quan trả lời, {{ media_watch.on_time }} tin được trả lời đúng hạn. "
                "{{ media_watch.official }} tin dẫn thông tin của cơ quan nhà nước, trong đó "
                "{{ media_watch.official_positive }} tin tích cực, {{ media_watch.official_negative }} tin tiêu cực."
            },
            {"table": "media_watch.by_topic"},
        ),
        tags=frozenset({"operations"}),
        requirement="R8.1, R5.7",
    )
)
