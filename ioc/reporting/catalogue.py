"""R8.1: the ready report templates, as data (installed by `services.report_templates_ensure` after `migrate`).

The operations reports take every registered section tagged `operations` (a domain that lands later joins them
without an edit here) and end with the difficulties and proposals the editor writes; the briefing for the
socio-economic meeting takes the `briefing` sections; the thematic briefing and the ad hoc report start from a
short frame the editor completes, with the sections the editor keeps.
"""

from __future__ import annotations

from typing import Any

from ioc.reporting.choices import Cadence, TemplateKind

RECIPIENTS = "- Như trên;\n- Lãnh đạo UBND tỉnh (để b/c);\n- Các sở, ban, ngành;\n- Lưu: VT, TTGSĐH."
INTRO = {
    "title": "Tình hình chung",
    "blocks": [
        {
            "text": "Thực hiện Quy chế vận hành Trung tâm Giám sát, điều hành thông minh, Trung tâm báo cáo kết quả "
            "hoạt động {{ report.period }} (phạm vi: {{ report.scope }}) như sau:"
        }
    ],
}
PROPOSALS = {
    "title": "Khó khăn, vướng mắc và đề xuất, kiến nghị",
    "blocks": [{"editable": "Người soạn ghi khó khăn, vướng mắc và đề xuất, kiến nghị.", "text": ""}],
}
NEXT = {
    "title": "Nhiệm vụ trọng tâm kỳ tới",
    "blocks": [{"editable": "Người soạn ghi nhiệm vụ trọng tâm kỳ tới.", "text": ""}],
}


def _operations(code: str, name: str, cadence: str) -> dict[str, Any]:
    return {
        "code": code,
        "name": name,
        "kind": TemplateKind.OPERATIONS,
        "cadence": cadence,
        "title": "Báo cáo kết quả hoạt động của Trung tâm Giám sát, điều hành thông minh {period_label}",
        "sections": [INTRO, {"sections": "operations"}, PROPOSALS, NEXT],
        "recipients": RECIPIENTS,
    }


# R8.4: the briefing of a review meeting (six-monthly, yearly…): the center's operation over the meeting's period,
# the decisions of the earlier meetings and how far they went (written in by `meeting_briefing_generate`).
FOLLOW_UP_TITLE = "Kết quả thực hiện kết luận các cuộc họp trước"
REVIEW_BRIEFING = "review-meeting-briefing"

READY: tuple[dict[str, Any], ...] = (
    _operations("operations-monthly", "Báo cáo hoạt động hằng tháng", Cadence.MONTHLY),
    _operations("operations-quarterly", "Báo cáo hoạt động hằng quý", Cadence.QUARTERLY),
    _operations("operations-half-yearly", "Báo cáo hoạt động 6 tháng", Cadence.HALF_YEARLY),
    _operations("operations-yearly", "Báo cáo hoạt động hằng năm", Cadence.YEARLY),
    {
        "code": "socio-economic-briefing",
        "name": "Báo cáo phục vụ họp giao ban kinh tế - xã hội",
        "kind": TemplateKind.BRIEFING,
        "cadence": Cadence.MONTHLY,
        "title": "Báo cáo tình hình giám sát, điều hành phục vụ họp giao ban kinh tế - xã hội {period_label}",
        "sections": [{"sections": "briefing"}, PROPOSALS],
        "recipients": "- Thường trực UBND tỉnh (để b/c);\n- Các thành viên dự họp;\n- Lưu: VT, TTGSĐH.",
    },
    {
        "code": "thematic-briefing",
        "name": "Báo cáo chuyên đề",
        "kind": TemplateKind.THEMATIC,
        "cadence": Cadence.AD_HOC,
        "title": "Báo cáo chuyên đề {period_label}",
        "sections": [
            {
                "title": "Nội dung chuyên đề",
                "blocks": [{"editable": "Chủ đề, địa bàn, kịch bản hoặc lĩnh vực.", "text": ""}],
            },
            {"sections": "briefing"},
            PROPOSALS,
        ],
        "recipients": RECIPIENTS,
    },
    {
        "code": "ad-hoc",
        "name": "Báo cáo đột xuất",
        "kind": TemplateKind.AD_HOC,
        "cadence": Cadence.AD_HOC,
        "title": "Báo cáo đột xuất {period_label}",
        "sections": [
            {"title": "Nội dung báo cáo", "blocks": [{"editable": "Sự việc, diễn biến, kết quả xử lý.", "text": ""}]},
            PROPOSALS,
        ],
        "recipients": RECIPIENTS,
    },
    {
        "code": REVIEW_BRIEFING,
        "name": "Báo cáo phục vụ họp kiểm điểm, đánh giá",
        "kind": TemplateKind.BRIEFING,
        "cadence": Cadence.AD_HOC,
        "title": "Báo cáo kết quả vận hành Trung tâm phục vụ họp kiểm điểm {period_label}",
        "sections": [
            INTRO,
            {"sections": "operations"},
            {
                "title": FOLLOW_UP_TITLE,
                "blocks": [{"editable": "Kết luận các cuộc họp trước và kết quả thực hiện.", "text": ""}],
            },
            PROPOSALS,
            NEXT,
        ],
        "recipients": "- Chủ trì cuộc họp (để b/c);\n- Các thành viên dự họp;\n- Lưu: VT, TTGSĐH.",
    },
)
