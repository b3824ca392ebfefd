"""The escalation-chain form of the "Quản trị" section (R3.3, R4.5): it parses; `escalation_chain_set` writes.

A chain climbs tiers (an officer, the agency's head, the IOC operator, the IOC leader, the province leader): it
needs a first tier, and a step may not go back down to a tier already passed (a loop).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ioc.accounts.choices import Role
from ioc.assignments.choices import MAX_ESCALATION_STEPS
from ioc.assignments.services import StepSpec
from ioc.common.forms import tabler_style

# Who is told, lowest tier first; a step never goes back to a lower tier.
TIERS = (Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.IOC_OPERATOR, Role.IOC_LEADER, Role.PROVINCE_LEADER)
STEP_ROWS = MAX_ESCALATION_STEPS
_ROLE_CHOICES = [("", "—"), *((role.value, role.label) for role in TIERS)]


class ChainForm(forms.Form):
    """One chain: process, category code ("" = the process default), name, and up to STEP_ROWS steps."""

    process = forms.ChoiceField(label=_("Quy trình / Process"))
    category_code = forms.SlugField(
        label=_("Mã lĩnh vực (để trống = mặc định của quy trình) / Category code (empty = process default)"),
        max_length=60,
        required=False,
    )
    name = forms.CharField(label=_("Tên chuỗi / Name"), max_length=200)

    def __init__(self, *args: Any, processes: list[str], editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        process: Any = self.fields["process"]
        process.choices = [(p, p) for p in processes]
        process.error_messages["invalid_choice"] = _("Quy trình không có / Unknown process")
        for n in range(1, STEP_ROWS + 1):
            self.fields[f"step_{n}_share"] = forms.FloatField(
                label=_("Tỷ lệ thời hạn (1 = đến hạn) / Share of the time (1 = due)"),
                required=False,
                min_value=0.01,
                max_value=5,
            )
            self.fields[f"step_{n}_role"] = forms.ChoiceField(
                label=_("Báo cho / Tell"), choices=_ROLE_CHOICES, required=False
            )
            self.fields[f"step_{n}_urgent"] = forms.BooleanField(label=_("Khẩn / Urgent"), required=False)
        if editing:
            for name in ("process", "category_code"):
                self.fields[name].disabled = True
        for name, field in self.fields.items():
            if name.startswith("step_"):  # shown in a table under column headers: the label names the cell
                number = name.split("_")[1]
                field.widget.attrs["aria-label"] = f"{field.label} ({_('bước / step')} {number})"
        tabler_style(self)

    def step_rows(self) -> list[tuple[Any, Any, Any]]:
        return [(self[f"step_{n}_share"], self[f"step_{n}_role"], self[f"step_{n}_urgent"]) for n in self._numbers()]

    @staticmethod
    def _numbers() -> range:
        return range(1, STEP_ROWS + 1)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = [n for n in self._numbers() if data.get(f"step_{n}_share") is not None or data.get(f"step_{n}_role")]
        if not filled:
            self.add_error("step_1_role", _("Chuỗi phải có bước thứ nhất / The chain needs a first tier"))
            return data
        highest = -1
        for n in filled:
            share, role = data.get(f"step_{n}_share"), data.get(f"step_{n}_role")
            if share is None:
                self.add_error(f"step_{n}_share", _("Cần tỷ lệ thời hạn / A share of the time is required"))
            if not role:
                self.add_error(f"step_{n}_role", _("Cần chọn người nhận / Choose who is told"))
                continue
            tier = TIERS.index(role)
            if tier < highest:
                self.add_error(
                    f"step_{n}_role",
                    _("Vòng lặp: bước này quay về cấp thấp hơn bước trước / Loop: back to a lower tier than before"),
                )
            highest = max(highest, tier)
        return data

    def steps(self) -> list[StepSpec]:
        data = self.cleaned_data
        return [
            StepSpec(at_share=data[f"step_{n}_share"], role=data[f"step_{n}_role"], urgent=data[f"step_{n}_urgent"])
            for n in self._numbers()
            if data.get(f"step_{n}_role")
        ]


def chain_initial(chain: Any) -> dict[str, Any]:
    """The form's initial values from a stored chain and its steps."""
    initial: dict[str, Any] = {"process": chain.process, "category_code": chain.category_code, "name": chain.name}
    for n, step in enumerate(chain.steps.all(), start=1):
        initial.update({f"step_{n}_share": step.at_share, f"step_{n}_role": step.role, f"step_{n}_urgent": step.urgent})
    return initial
