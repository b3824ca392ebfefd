"""Notification templates of the indicators (R2.3 warnings, R2.6 data calls), registered when the app is ready.

Context: indicator (code — name), unit_name, period, value, target, agency_name, deadline, url (a path of the IOC).
"""

from __future__ import annotations

from ioc.notifications.services import register_template

NOT_MET = "indicators.not_met"
LIKELY_MISS = "indicators.likely_miss"
CALL_NEW = "indicators.call_new"
CALL_REMINDER = "indicators.call_reminder"

_FOOTER_VI = "\n\nXem: {{ url }}"
_FOOTER_EN = "\n\nOpen it: {{ url }}"

TEMPLATES: dict[str, tuple[str, str, str, str]] = {
    NOT_MET: (
        "[IOC] Chỉ số không đạt chỉ tiêu: {{ indicator }} ({{ unit_name }}, kỳ {{ period }})",
        "Xin chào {{ recipient_name }},\n\nChỉ số {{ indicator }} của {{ unit_name }} kỳ {{ period }} đạt "
        "{{ value }}, chỉ tiêu {{ target }}: không đạt.\nCơ quan chịu trách nhiệm: {{ agency_name }}." + _FOOTER_VI,
        "[IOC] Indicator below target: {{ indicator }} ({{ unit_name }}, {{ period }})",
        "Hello {{ recipient_name }},\n\n{{ indicator }} for {{ unit_name }} in {{ period }} is {{ value }} against "
        "a target of {{ target }}: not met.\nResponsible agency: {{ agency_name }}." + _FOOTER_EN,
    ),
    LIKELY_MISS: (
        "[IOC] Dự báo không đạt chỉ tiêu năm: {{ indicator }} ({{ unit_name }}, {{ period }})",
        "Xin chào {{ recipient_name }},\n\nLũy kế và dự báo các kỳ còn lại cho thấy chỉ số {{ indicator }} của "
        "{{ unit_name }} năm {{ period }} sẽ đạt khoảng {{ value }}, chỉ tiêu {{ target }}.\n"
        "Cơ quan chịu trách nhiệm: {{ agency_name }}." + _FOOTER_VI,
        "[IOC] Annual target likely to be missed: {{ indicator }} ({{ unit_name }}, {{ period }})",
        "Hello {{ recipient_name }},\n\nYear to date plus the forecast of the remaining periods puts {{ indicator }} "
        "for {{ unit_name }} in {{ period }} at about {{ value }} against a target of {{ target }}.\n"
        "Responsible agency: {{ agency_name }}." + _FOOTER_EN,
    ),
    CALL_NEW: (
        "[IOC] Yêu cầu báo cáo số liệu: {{ indicator }} kỳ {{ period }}",
        "Xin chào {{ recipient_name }},\n\nĐề nghị {{ agency_name }} báo cáo số liệu chỉ số {{ indicator }} kỳ "
        "{{ period }} trước {{ deadline }}.{% if text %}\n{{ text }}{% endif %}" + _FOOTER_VI,
        "[IOC] Data call: {{ indicator }} for {{ period }}",
        "Hello {{ recipient_name }},\n\n{{ agency_name }} is asked for the values of {{ indicator }} for "
        "{{ period }} by {{ deadline }}.{% if text %}\n{{ text }}{% endif %}" + _FOOTER_EN,
    ),
    CALL_REMINDER: (
        "[IOC] Nhắc báo cáo số liệu: {{ indicator }} kỳ {{ period }} (hạn {{ deadline }})",
        "Xin chào {{ recipient_name }},\n\n{{ agency_name }} chưa báo cáo số liệu chỉ số {{ indicator }} kỳ "
        "{{ period }}; hạn {{ deadline }}." + _FOOTER_VI,
        "[IOC] Reminder: {{ indicator }} for {{ period }} (due {{ deadline }})",
        "Hello {{ recipient_name }},\n\n{{ agency_name }} has not yet reported {{ indicator }} for {{ period }}; "
        "due {{ deadline }}." + _FOOTER_EN,
    ),
}


def register() -> None:
    """Called from IndicatorsConfig.ready(); re-registering identical text is allowed."""
    for code, (subject_vi, body_vi, subject_en, body_en) in TEMPLATES.items():
        register_template(code, subject_vi, body_vi, subject_en, body_en)
