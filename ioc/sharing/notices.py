"""Notification templates of data sharing (R1.6), registered when the app is ready.

Context: dataset_name, agency_name (the requesting agency), deadline (local "HH:MM dd/mm/YYYY"), url (a path of
the IOC site); `decision` for the requester's answer.
"""

from __future__ import annotations

from ioc.notifications.services import register_template

SUBMITTED = "sharing.submitted"
REMIND = "sharing.remind"
OVERDUE = "sharing.overdue"
DECIDED = "sharing.decided"

TEMPLATES: dict[str, tuple[str, str, str, str]] = {
    SUBMITTED: (
        "[IOC] Yêu cầu chia sẻ dữ liệu: {{ dataset_name }}",
        "Xin chào {{ recipient_name }},\n\n{{ agency_name }} đề nghị được chia sẻ bộ dữ liệu {{ dataset_name }}. "
        "Hạn xử lý: {{ deadline }}.\n\nXử lý: {{ url }}",
        "[IOC] Data sharing request: {{ dataset_name }}",
        "Hello {{ recipient_name }},\n\n{{ agency_name }} asks to share the dataset {{ dataset_name }}. "
        "Due: {{ deadline }}.\n\nHandle it: {{ url }}",
    ),
    REMIND: (
        "[IOC] Sắp đến hạn xử lý yêu cầu chia sẻ: {{ dataset_name }}",
        "Xin chào {{ recipient_name }},\n\nYêu cầu chia sẻ bộ dữ liệu {{ dataset_name }} của {{ agency_name }} "
        "cần được xử lý trước {{ deadline }}.\n\nXử lý: {{ url }}",
        "[IOC] Sharing request due soon: {{ dataset_name }}",
        "Hello {{ recipient_name }},\n\nThe request of {{ agency_name }} to share {{ dataset_name }} must be "
        "handled by {{ deadline }}.\n\nHandle it: {{ url }}",
    ),
    OVERDUE: (
        "[IOC] Quá hạn xử lý yêu cầu chia sẻ: {{ dataset_name }}",
        "Xin chào {{ recipient_name }},\n\nYêu cầu chia sẻ bộ dữ liệu {{ dataset_name }} của {{ agency_name }} "
        "đã quá hạn xử lý ({{ deadline }}). Đề nghị xử lý ngay.\n\nXử lý: {{ url }}",
        "[IOC] Sharing request overdue: {{ dataset_name }}",
        "Hello {{ recipient_name }},\n\nThe request of {{ agency_name }} to share {{ dataset_name }} was due at "
        "{{ deadline }}. Please handle it now.\n\nHandle it: {{ url }}",
    ),
    DECIDED: (
        "[IOC] Kết quả yêu cầu chia sẻ dữ liệu: {{ dataset_name }}",
        "Xin chào {{ recipient_name }},\n\nYêu cầu chia sẻ bộ dữ liệu {{ dataset_name }}: {{ decision }}.\n\n"
        "Chi tiết: {{ url }}",
        "[IOC] Data sharing request answered: {{ dataset_name }}",
        "Hello {{ recipient_name }},\n\nYour request to share {{ dataset_name }}: {{ decision }}.\n\n"
        "Details: {{ url }}",
    ),
}


def register() -> None:
    """Called from SharingConfig.ready(); re-registering identical text is allowed."""
    for code, (subject_vi, body_vi, subject_en, body_en) in TEMPLATES.items():
        register_template(code, subject_vi, body_vi, subject_en, body_en)
