"""R5.7: the configuration forms under "Quản trị" — sources, topics (with the query's preview), watch lists, their
entities and who may see them. They only parse; the services check and write (their errors go on the fields)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ioc.common.forms import tabler_style
from ioc.media_watch.choices import MAX_FEED_BYTES, MAX_INTERVAL_MINUTES, MIN_INTERVAL_MINUTES, EntityKind, SourceKind
from ioc.media_watch.services.config import SELECTOR_FIELDS, SourceSettings


class ExportUploadForm(forms.Form):
    """R5.7: a platform export (CSV or JSON) for an export source; the service reads and checks it."""

    file = forms.FileField(
        label=_("Tệp xuất (CSV hoặc JSON)"),
        help_text=_("Cột url, published_at, author, title, text; tối đa 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.json,text/csv,application/json"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tabler_style(self)

    def content(self) -> tuple[bytes, str]:
        """The file's bytes (one byte past the limit at most, so the service names the size) and its name."""
        upload = self.cleaned_data["file"]
        return upload.read(MAX_FEED_BYTES + 1), upload.name or ""


class SourceForm(forms.Form):
    name = forms.CharField(label=_("Tên nguồn"), max_length=200)
    kind = forms.ChoiceField(label=_("Loại nguồn"), choices=SourceKind.choices)
    url = forms.CharField(
        label=_("Địa chỉ (URL)"),
        max_length=500,
        required=False,
        help_text=_(
            "Kênh RSS/Atom, sơ đồ trang (sitemap) hoặc địa chỉ API chính thức của nền tảng, ví dụ "
            "https://www.googleapis.com/youtube/v3/search?part=snippet&q=… (YouTube) hoặc "
            "https://api.x.com/2/tweets/search/recent?query=…&expansions=author_id&tweet.fields=created_at (X); "
            "không ghi khoá vào địa chỉ."
        ),
    )
    selectors = forms.CharField(
        label=_("Bộ chọn của trang bài (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_('Với sơ đồ trang: {"title": "h1", "body": "article p", "time": "time", "author": ".tac-gia"}.'),
    )
    api_key = forms.CharField(
        label=_("Khoá API của nền tảng"),
        required=False,
        max_length=500,
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "Để trống: giữ khoá đã lưu (YouTube, X: khi chưa lưu khoá, dùng khoá của hệ thống trong biến môi trường "
            "MEDIA_WATCH_YOUTUBE_API_KEY, MEDIA_WATCH_X_BEARER_TOKEN). Khoá được mã hoá, không hiện lại."
        ),
    )
    remove_api_key = forms.BooleanField(label=_("Xoá khoá API đã lưu"), required=False)
    # At most a year: a larger number overflows the due time's arithmetic (a 500 before).
    interval_minutes = forms.IntegerField(
        label=_("Chu kỳ thu thập (phút)"), min_value=MIN_INTERVAL_MINUTES, max_value=MAX_INTERVAL_MINUTES
    )
    min_gap_seconds = forms.IntegerField(label=_("Giãn cách tối thiểu giữa hai lần gọi (giây)"), min_value=0)
    is_active = forms.BooleanField(label=_("Đang thu thập"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tabler_style(self)

    def clean_selectors(self) -> dict[str, Any]:
        raw = (self.cleaned_data.get("selectors") or "").strip()
        if not raw:
            return {}
        try:
            value = json.loads(raw)
        except ValueError as exc:
            raise forms.ValidationError(_("Không đọc được JSON: %(reason)s") % {"reason": exc}) from exc
        except RecursionError as exc:  # nested thousands deep
            raise forms.ValidationError(_("JSON lồng nhau quá sâu.")) from exc
        if not isinstance(value, dict):
            raise forms.ValidationError(_('Cần một đối tượng JSON, ví dụ {"title": "h1"}.'))
        unknown = sorted(set(value) - set(SELECTOR_FIELDS))
        if unknown:
            raise forms.ValidationError(_("Khoá không hợp lệ: %(keys)s.") % {"keys": ", ".join(unknown)})
        return value

    def settings(self) -> SourceSettings:
        data = self.cleaned_data
        key = "" if data["remove_api_key"] else (data["api_key"] or None)
        return SourceSettings(
            name=data["name"],
            kind=data["kind"],
            url=data["url"] or "",
            selectors=data["selectors"],
            api_key=key,
            interval_minutes=data["interval_minutes"],
            min_gap_seconds=data["min_gap_seconds"],
            is_active=data["is_active"],
        )


class TopicForm(forms.Form):
    name = forms.CharField(label=_("Tên chủ đề"), max_length=200)
    query = forms.CharField(
        label=_("Truy vấn"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_(
            'AND, OR, NOT, "cụm từ", NEAR/n (cách nhau tối đa n tiếng), ngoặc đơn. Gõ không dấu khớp mọi dấu; '
            "gõ có dấu chỉ khớp đúng dấu."
        ),
    )
    min_hourly = forms.IntegerField(label=_("Số tin tối thiểu mỗi giờ để coi là nóng"), min_value=1, max_value=10000)
    is_active = forms.BooleanField(label=_("Đang theo dõi"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tabler_style(self)


class WatchListForm(forms.Form):
    name = forms.CharField(label=_("Tên danh sách"), max_length=200)
    purpose = forms.CharField(
        label=_("Mục đích theo dõi"),
        max_length=500,
        help_text=_("Dữ liệu cá nhân (Nghị định 13/2023/NĐ-CP): nêu rõ mục đích xử lý."),
    )
    retention_days = forms.IntegerField(label=_("Thời hạn lưu tin (ngày)"), min_value=1, max_value=3650)
    is_active = forms.BooleanField(label=_("Đang theo dõi"), required=False)
    viewers: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Người được xem"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Chỉ người có vai trò xem thông tin trên mạng; mỗi lần xem được ghi nhật ký."),
    )

    def __init__(self, *args: Any, users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["viewers"].queryset = users  # type: ignore[attr-defined]
        tabler_style(self)
        self.fields["viewers"].widget.attrs["class"] = "form-check-input"


class EntityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=EntityKind.choices)
    name = forms.CharField(label=_("Tên"), max_length=200)
    aliases = forms.CharField(
        label=_("Tên khác (mỗi dòng một tên)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    min_hourly = forms.IntegerField(label=_("Số tin tối thiểu mỗi giờ để coi là tăng đột biến"), min_value=1)
    is_active = forms.BooleanField(label=_("Đang theo dõi"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tabler_style(self)
