"""The checks' rules as data (R5.3, issue 23 "Checks at once"; act 004:6.4 "kiểm tra tức thời … theo kịch bản").

Each rule names its legal basis: Nghị định 61/2018/NĐ-CP on the one-stop shop, amended by Nghị định
107/2021/NĐ-CP, and the procedure's own time limit. Citations are at article level (the point numbers to be
checked against the gazette text by whoever configures the deployment). `handling` says what a violation of the
rule sets off (004:6.4 "kịch bản xử lý có thời gian hay xử lý tức thời"): a time-bound rule is forwarded to the
agency once the IOC confirms it; an immediate one raises an alert in the incidents inbox at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ioc.common.choices import Severity
from ioc.dossiers.choices import Handling

ND61 = "Nghị định 61/2018/NĐ-CP (sửa đổi bởi Nghị định 107/2021/NĐ-CP)"


@dataclass(frozen=True)
class Rule:
    """One rule: its code (the alert kind is `dossiers.<code>`), label, basis, severity, handling and the
    working hours the agency gets to answer a confirmed time-bound violation."""

    code: str
    label: Promise
    basis: str
    severity: int
    handling: str
    handling_hours: float = 16.0


TB, IM = Handling.TIME_BOUND, Handling.IMMEDIATE
RULES: tuple[Rule, ...] = (
    Rule("step_late", _("Bước xử lý quá thời gian cho phép"), ND61 + ", Điều 17; quy trình nội bộ", 2, TB),
    Rule("dossier_late", _("Hồ sơ quá hạn giải quyết"), ND61 + ", Điều 17; thời hạn của thủ tục", 3, TB),
    Rule("step_skipped", _("Bỏ qua bước xử lý"), ND61 + ", Điều 16, 17; quy trình nội bộ", 3, TB),
    Rule("step_out_of_order", _("Xử lý sai thứ tự bước"), ND61 + ", Điều 16, 17; quy trình nội bộ", 2, TB),
    Rule("documents_missing", _("Tiếp nhận hồ sơ thiếu thành phần"), ND61 + ", Điều 15", 2, TB),
    Rule("supplement_repeated", _("Yêu cầu bổ sung hồ sơ quá một lần"), ND61 + ", Điều 5, 15", 4, IM, 8.0),
    Rule("refusal_without_reason", _("Từ chối giải quyết không nêu lý do"), ND61 + ", Điều 5, 15", 4, IM, 8.0),
    Rule("late_without_apology", _("Quá hạn không có phiếu xin lỗi, hẹn lại"), ND61 + ", Điều 17", 3, TB),
    Rule("step_unassigned", _("Bước xử lý do người không được phân công thực hiện"), ND61 + ", Điều 16", 4, IM, 8.0),
)
RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}
RULE_CHOICES = [(rule.code, rule.label) for rule in RULES]
assert all(Severity.INFO <= rule.severity <= Severity.EMERGENCY for rule in RULES)


def alert_kind(rule_code: str) -> str:
    """The incidents kind code of a rule (registered in `incidents.choices.KINDS`)."""
    return f"dossiers.{rule_code}"
