"""Decision 766/QĐ-TTg (23/6/2022) as configuration (R5.3; issue 23 item 6): the five groups of the "Bộ chỉ số chỉ
đạo, điều hành và đánh giá chất lượng phục vụ người dân, doanh nghiệp trong thực hiện thủ tục hành chính, dịch vụ
công theo thời gian thực trên môi trường điện tử", 100 points, and how each criterion is measured — pure data and
one pure function, no database.

Source: Quyết định số 766/QĐ-TTg ngày 23/6/2022 của Thủ tướng Chính phủ, Phụ lục (Bộ chỉ số). What was checked
against public restatements of the Decision, and where, is in docs/decisions/0012-decision-766-scoring.md: the five
groups and their maxima (18, 20, 22, 22, 18), the on-time criterion's 20 points, the 4 points of "TTHC được cập
nhật, công khai đúng hạn" in group 1 and the 6 points of "tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC" in
group 5, and group 5's three rates with their formulas. The appendix's full table was not readable there: what is
not verified carries "cần đối chiếu" (to be checked against the appendix before official use). Nothing here is a
guess left unmarked.

A criterion is measured either from the dossiers' events (`source="events"`: this app counts numerator and
denominator per agency or commune per month) or from a data-hub dataset (`source="dataset"`: a percentage field of
`DATASET_CODE`, for what events do not carry). Points = `points × numerator / denominator` (linear) — cần đối
chiếu: the appendix may grade some criteria against targets (the satisfaction criterion's full points are tied to
the targets of Nghị quyết 76/NQ-CP in the restatement read); a criterion without data (denominator 0, no dataset
row) scores None and is left out of the total, which then says how many points were measurable.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

DECISION = "Quyết định số 766/QĐ-TTg ngày 23/6/2022 của Thủ tướng Chính phủ, Phụ lục"
TOTAL_POINTS = Decimal(100)

# The on-time criterion's denominator (issue 23 item 6): "finished" = dossiers finished in the month;
# "finished_and_overdue" = those plus dossiers still open at the month's end past their due time. Which one the
# Decision's guidance uses is cần đối chiếu (0012); the service takes either (`services.service_scores_compute`).
DENOMINATOR_FINISHED = "finished"
DENOMINATOR_FINISHED_AND_OVERDUE = "finished_and_overdue"
DENOMINATORS = (DENOMINATOR_FINISHED, DENOMINATOR_FINISHED_AND_OVERDUE)
ON_TIME_DENOMINATOR = DENOMINATOR_FINISHED_AND_OVERDUE

# A rating counts as satisfied from this level of the 1–5 scale ("hài lòng", "rất hài lòng") — cần đối chiếu.
SATISFIED_FROM = 4

# The data-hub dataset this app ships for the criteria events do not carry (one row per agency or commune and
# month, percentages 0–100).
DATASET_CODE = "dich_vu_cong_766"


@dataclass(frozen=True)
class Group:
    code: str
    name: str | Promise
    points: Decimal


@dataclass(frozen=True)
class Criterion:
    code: str
    group: str
    name: str | Promise
    points: Decimal
    source: str  # "events" | "dataset"
    measure: str  # events: the counted measure; dataset: the field of DATASET_CODE
    note: str = ""  # "cần đối chiếu: …" where the transcription is not certain


# The five groups and their maxima are verified (docs/decisions/0012-decision-766-scoring.md).
GROUPS = (
    Group("cong_khai", _("Công khai, minh bạch"), Decimal(18)),
    Group("tien_do", _("Tiến độ, kết quả giải quyết"), Decimal(20)),
    Group("truc_tuyen", _("Cung cấp dịch vụ trực tuyến"), Decimal(22)),
    Group("so_hoa", _("Số hóa hồ sơ"), Decimal(22)),
    Group("hai_long", _("Mức độ hài lòng"), Decimal(18)),
)

CRITERIA = (
    # Group 1: the Decision splits it into several criteria. Verified: "Tỷ lệ TTHC được cập nhật, công khai đúng
    # hạn" is worth 4 of the 18 (0012). The other 14 come whole as one percentage — cần đối chiếu: their split.
    Criterion("cong_khai_tthc", "cong_khai", _("Tỷ lệ thủ tục được cập nhật, công khai đúng hạn"), Decimal(4),
              "dataset", "tthc_cong_khai_ty_le"),
    Criterion("cong_khai", "cong_khai", _("Công khai, minh bạch: các tiêu chí còn lại"), Decimal(14), "dataset",
              "cong_khai_ty_le", "cần đối chiếu: các tiêu chí thành phần còn lại của nhóm 1 (14 điểm)"),
    # Group 2: the on-time rate, 20 points (verified, 0012); its denominator is cần đối chiếu (DENOMINATORS).
    Criterion("dung_han", "tien_do", _("Tỷ lệ hồ sơ giải quyết đúng hạn"), Decimal(20), "events", "on_time"),
    # Group 3: 22 points (verified); 12 + 10 as the national portal shows "Dịch vụ trực tuyến" and "Thanh toán
    # trực tuyến" — cần đối chiếu.
    Criterion("truc_tuyen", "truc_tuyen", _("Tỷ lệ hồ sơ nộp trực tuyến"), Decimal(12), "events", "online",
              "cần đối chiếu: 12 điểm"),
    Criterion("thanh_toan", "truc_tuyen", _("Tỷ lệ thanh toán trực tuyến"), Decimal(10), "dataset",
              "thanh_toan_truc_tuyen_ty_le", "cần đối chiếu: 10 điểm"),
    # Group 4: 22 points (verified); digitised dossiers at receipt and digitised results, an even split — cần đối
    # chiếu.
    Criterion("so_hoa_ho_so", "so_hoa", _("Tỷ lệ hồ sơ được số hóa khi tiếp nhận"), Decimal(11), "events",
              "intake_digitised", "cần đối chiếu: 11 điểm"),
    Criterion("so_hoa_ket_qua", "so_hoa", _("Tỷ lệ kết quả giải quyết được số hóa"), Decimal(11), "events",
              "result_digitised", "cần đối chiếu: 11 điểm"),
    # Group 5: 18 points (verified), three rates (verified, 0012 third search). "Tỷ lệ hài lòng trong tiếp nhận,
    # giải quyết TTHC" is worth 6 (verified): (dossiers − those not satisfied or complained about) / dossiers, so an
    # unrated dossier counts as satisfied; complaints are not in the events. The other 12 are the two rates of
    # feedback (phản ánh, kiến nghị) handled on time and handled to satisfaction, one percentage from the dataset.
    Criterion("hai_long", "hai_long", _("Tỷ lệ hài lòng trong tiếp nhận, giải quyết thủ tục"), Decimal(6), "events",
              "satisfied", "cần đối chiếu: không hài lòng = dưới mức 4/5; hồ sơ trả kết quả trong tháng; cách chấm "
              "theo mục tiêu của Nghị quyết 76/NQ-CP"),
    Criterion("hai_long_khac", "hai_long", _("Phản ánh, kiến nghị xử lý đúng hạn và hài lòng"), Decimal(12),
              "dataset", "hai_long_khac_ty_le", "cần đối chiếu: 12 điểm chia cho hai tỷ lệ phản ánh, kiến nghị"),
)  # fmt: skip

EVENT_MEASURES = frozenset({"on_time", "online", "intake_digitised", "result_digitised", "satisfied"})


def config_problems() -> list[str]:
    """What is inconsistent in the configuration above (a test keeps it empty): groups sum to 100, criteria to
    their group, every measure known."""
    problems = []
    if sum(g.points for g in GROUPS) != TOTAL_POINTS:
        problems.append("groups do not sum to 100")
    for group in GROUPS:
        if sum(c.points for c in CRITERIA if c.group == group.code) != group.points:
            problems.append(f"criteria of {group.code} do not sum to its points")
    for c in CRITERIA:
        if c.source == "events" and c.measure not in EVENT_MEASURES:
            problems.append(f"{c.code}: unknown measure {c.measure}")
        if c.source not in ("events", "dataset"):
            problems.append(f"{c.code}: unknown source {c.source}")
    return problems


CENT = Decimal("0.01")


def criterion_points(criterion: Criterion, numerator: int | float, denominator: int | float) -> Decimal | None:
    """Points of one criterion: linear in the rate, two decimals; None without data."""
    if not denominator:
        return None
    rate = min(max(Decimal(str(numerator)) / Decimal(str(denominator)), Decimal(0)), Decimal(1))
    return (criterion.points * rate).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Score:
    """One agency's or commune's month: points per criterion and group, the total and the points measurable."""

    criteria: dict[str, Decimal | None]
    groups: dict[str, Decimal | None]
    total: Decimal
    measurable: Decimal


def score(ratios: dict[str, tuple[float, float]]) -> Score:
    """R5.3: the 766 score from (numerator, denominator) per criterion code (missing = no data)."""
    criteria = {c.code: criterion_points(c, *ratios.get(c.code, (0, 0))) for c in CRITERIA}
    groups: dict[str, Decimal | None] = {}
    for group in GROUPS:
        found = [p for c in CRITERIA if c.group == group.code and (p := criteria[c.code]) is not None]
        groups[group.code] = sum(found, Decimal(0)) if found else None
    total = sum((v for v in criteria.values() if v is not None), Decimal(0))
    measurable = sum((c.points for c in CRITERIA if criteria[c.code] is not None), Decimal(0))
    return Score(criteria=criteria, groups=groups, total=total, measurable=measurable)
