"""Forms of the information-system pages (R1.2, R7.2): every account change cites its written request."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ioc.accounts import selectors
from ioc.accounts.forms.own import ScanField
from ioc.accounts.models import User
from ioc.common.forms import tabler_style

_SCOPE_SPLIT = re.compile(r"[\s,;]+")


class SystemForm(forms.Form):
    """R1.1, R1.2: an information system of an agency (agency and code only when creating)."""

    agency = forms.ModelChoiceField(
        label=_("Cơ quan / Agency"),
        queryset=selectors.agency_list(),
        error_messages={"invalid_choice": _("Cơ quan không tồn tại hoặc đã ngừng hoạt động / Unknown agency")},
    )
    code = forms.SlugField(label=_("Mã / Code"), max_length=60)
    name = forms.CharField(label=_("Tên / Name"), max_length=200)
    description = forms.CharField(label=_("Mô tả / Description"), required=False, widget=forms.Textarea({"rows": 3}))

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["agency"], self.fields["code"]
        tabler_style(self)


class DocumentForm(forms.Form):
    """R7.2: the written request (number, date, issuing body, approver, optional scan) behind one change."""

    document_no = forms.CharField(label=_("Số văn bản / Document number"), max_length=60)
    document_date = forms.DateField(
        label=_("Ngày văn bản / Document date"), widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d")
    )
    issuing_body = forms.CharField(label=_("Cơ quan ban hành / Issuing body"), max_length=200)
    approver = forms.ModelChoiceField(label=_("Người phê duyệt / Approver"), queryset=User.objects.none())
    scan = ScanField(label=_("Bản quét (PDF, PNG, JPEG ≤ 10 MB) / Scan"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        approver: Any = self.fields["approver"]
        approver.queryset = selectors.approver_candidates()
        tabler_style(self)

    def document(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = ("document_no", "document_date", "issuing_body", "approver")
        return {name: data[name] for name in names} | {"scan": data.get("scan")}


class TokenIssueForm(DocumentForm):
    """DESIGN "Tokens": scopes, expiry day and label of a new token, on its written request."""

    scopes = forms.CharField(
        label=_("Phạm vi / Scopes"),
        help_text="open311.submit, sta.write, cameras.events, incidents.alerts, datahub.push:<dataset>",
    )
    expires_at = forms.DateField(
        label=_("Hết hạn vào ngày / Expires on"), widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d")
    )
    label = forms.CharField(label=_("Nhãn / Label"), max_length=120, required=False)

    def clean_scopes(self) -> list[str]:
        return [s for s in _SCOPE_SPLIT.split(self.cleaned_data.get("scopes") or "") if s]

    def clean_expires_at(self) -> dt.datetime:
        day = self.cleaned_data["expires_at"]
        return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)), timezone.get_default_timezone())
