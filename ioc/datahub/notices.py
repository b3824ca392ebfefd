"""Notification templates of the data hub's reminders ("đôn đốc", R1.3), registered when the app is ready.

Context: dataset_name, agency_name, deadline (local "HH:MM dd/mm/YYYY"), url (a path of the IOC site).
"""

from __future__ import annotations

from ioc.notifications.services import register_template

REMIND_BEFORE = "datahub.remind_before"
REMIND_AFTER = "datahub.remind_after"

TEMPLATES: dict[str, tuple[str, str, str, str]] = {
    REMIND_BEFORE: (
        "[IOC] Sắp đến hạn gửi dữ liệu: {{ dataset_name }}",
        "Xin chào {{ recipient_name }},\n\n{{ agency_name }} cần gửi bộ dữ liệu {{ dataset_name }} "
        "trước {{ deadline }}.\n\nGửi dữ liệu: {{ url }}",
        "[IOC] Data due soon: {{ dataset_name }}",
        "Hello {{ recipient_name }},\n\n{{ agency_name }} must send the dataset {{ dataset_name }} "
        "by {{ deadline }}.\n\nSend it: {{ url }}",
    ),
    REMIND_AFTER: (
        "[IOC] Đôn đốc gửi dữ liệu quá hạn: {{ dataset_name }}",
        "Xin chào {{ recipient_name }},\n\n{{ agency_name }} chưa gửi bộ dữ liệu {{ dataset_name }} "
        "đến hạn lúc {{ deadline }}. Đề nghị gửi ngay.\n\nGửi dữ liệu: {{ url }}",
        "[IOC] Overdue data: {{ dataset_name }}",
        "Hello {{ recipient_name }},\n\n{{ agency_name }} has not sent the dataset {{ dataset_name }} "
        "due at {{ deadline }}. Please send it now.\n\nSend it: {{ url }}",
    ),
}


def register() -> None:
    """Called from DatahubConfig.ready(); re-registering identical text is allowed."""
    for code, (subject_vi, body_vi, subject_en, body_en) in TEMPLATES.items():
        register_template(code, subject_vi, body_vi, subject_en, body_en)
