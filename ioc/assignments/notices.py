"""Notification templates of agency work (R4.5), registered when the app is ready. Vietnamese first.

Context of every template: subject_label, agency_name, deadline (local "HH:MM dd/mm/YYYY"), url (a path of the
IOC site), text (a reason, a note or the step's description).
"""

from __future__ import annotations

from ioc.notifications.services import register_template

NEW_WORK = "assignments.new_work"
REOPENED = "assignments.reopened"
CANCELLED = "assignments.cancelled"
RETURNED = "assignments.returned"
RESOLVED = "assignments.resolved"
AT_RISK = "assignments.at_risk"
OVERDUE = "assignments.overdue"
NOT_ACCEPTED = "assignments.not_accepted"
ESCALATED_DIGEST = "assignments.escalated_digest"  # several escalations to one recipient in one sweep (decision 0011)

_FOOTER_VI = "\n\nXem và xử lý: {{ url }}"
_FOOTER_EN = "\n\nOpen it: {{ url }}"

TEMPLATES: dict[str, tuple[str, str, str, str]] = {
    NEW_WORK: (
        "[IOC] Việc mới chuyển đến {{ agency_name }}: {{ subject_label }}",
        "Xin chào {{ recipient_name }},\n\nIOC đã chuyển đến {{ agency_name }} việc: {{ subject_label }}.\n"
        "Hạn xử lý: {{ deadline }}.{% if text %}\nNội dung chỉ đạo: {{ text }}{% endif %}" + _FOOTER_VI,
        "[IOC] New work for {{ agency_name }}: {{ subject_label }}",
        "Hello {{ recipient_name }},\n\nThe IOC forwarded to {{ agency_name }}: {{ subject_label }}.\n"
        "Deadline: {{ deadline }}.{% if text %}\nInstructions: {{ text }}{% endif %}" + _FOOTER_EN,
    ),
    REOPENED: (
        "[IOC] Mở lại việc: {{ subject_label }}",
        "Xin chào {{ recipient_name }},\n\nIOC đã mở lại việc {{ subject_label }} của {{ agency_name }}.\n"
        "Lý do: {{ text }}\nHạn xử lý mới: {{ deadline }}." + _FOOTER_VI,
        "[IOC] Work reopened: {{ subject_label }}",
        "Hello {{ recipient_name }},\n\nThe IOC reopened {{ subject_label }} for {{ agency_name }}.\n"
        "Reason: {{ text }}\nNew deadline: {{ deadline }}." + _FOOTER_EN,
    ),
    CANCELLED: (
        "[IOC] Hủy việc: {{ subject_label }}",
        "Xin chào {{ recipient_name }},\n\nIOC đã hủy việc {{ subject_label }} của {{ agency_name }}.\n"
        "Lý do: {{ text }}" + _FOOTER_VI,
        "[IOC] Work cancelled: {{ subject_label }}",
        "Hello {{ recipient_name }},\n\nThe IOC cancelled {{ subject_label }} for {{ agency_name }}.\n"
        "Reason: {{ text }}" + _FOOTER_EN,
    ),
    RETURNED: (
        "[IOC] {{ agency_name }} trả lại việc: {{ subject_label }}",
        "Xin chào {{ recipient_name }},\n\n{{ agency_name }} đã trả lại việc {{ subject_label }}.\n"
        "Lý do: {{ text }}\nCần chuyển cho cơ quan khác hoặc xử lý lại." + _FOOTER_VI,
        "[IOC] {{ agency_name }} returned: {{ subject_label }}",
        "Hello {{ recipient_name }},\n\n{{ agency_name }} returned {{ subject_label }}.\n"
        "Reason: {{ text }}\nForward it to another agency or handle it again." + _FOOTER_EN,
    ),
    RESOLVED: (
        "[IOC] {{ agency_name }} báo cáo kết quả: {{ subject_label }}",
        "Xin chào {{ recipient_name }},\n\n{{ agency_name }} đã báo cáo kết quả xử lý {{ subject_label }}:\n"
        "{{ text }}\nCần IOC xác nhận." + _FOOTER_VI,
        "[IOC] {{ agency_name }} resolved: {{ subject_label }}",
        "Hello {{ recipient_name }},\n\n{{ agency_name }} reported the result of {{ subject_label }}:\n"
        "{{ text }}\nThe IOC must confirm it." + _FOOTER_EN,
    ),
    AT_RISK: (
        "[IOC] Sắp đến hạn: {{ subject_label }}",
        "Xin chào {{ recipient_name }},\n\nViệc {{ subject_label }} của {{ agency_name }} sắp đến hạn xử lý "
        "({{ deadline }}).\n{{ text }}" + _FOOTER_VI,
        "[IOC] Deadline approaching: {{ subject_label }}",
        "Hello {{ recipient_name }},\n\n{{ subject_label }} for {{ agency_name }} is due at {{ deadline }}.\n"
        "{{ text }}" + _FOOTER_EN,
    ),
    OVERDUE: (
        "[IOC] Quá hạn: {{ subject_label }} ({{ agency_name }})",
        "Xin chào {{ recipient_name }},\n\nViệc {{ subject_label }} của {{ agency_name }} đã đến hoặc quá hạn xử lý "
        "({{ deadline }}) mà chưa có kết quả.\n{{ text }}" + _FOOTER_VI,
        "[IOC] Overdue: {{ subject_label }} ({{ agency_name }})",
        "Hello {{ recipient_name }},\n\n{{ subject_label }} for {{ agency_name }} has reached or passed its deadline "
        "({{ deadline }}) without a result.\n{{ text }}" + _FOOTER_EN,
    ),
    NOT_ACCEPTED: (
        "[IOC] Chưa tiếp nhận: {{ subject_label }} ({{ agency_name }})",
        "Xin chào {{ recipient_name }},\n\nViệc {{ subject_label }} chuyển đến {{ agency_name }} đã quá hạn tiếp nhận "
        "mà chưa được tiếp nhận (hạn xử lý {{ deadline }}).\n{{ text }}" + _FOOTER_VI,
        "[IOC] Not accepted: {{ subject_label }} ({{ agency_name }})",
        "Hello {{ recipient_name }},\n\n{{ subject_label }} for {{ agency_name }} was not accepted in time "
        "(deadline {{ deadline }}).\n{{ text }}" + _FOOTER_EN,
    ),
    ESCALATED_DIGEST: (
        "[IOC] {{ count }} việc được báo lên cấp trên",
        "Xin chào {{ recipient_name }},\n\nĐợt rà soát thời hạn vừa báo cho anh/chị {{ count }} việc (sắp đến hạn, quá "
        "hạn hoặc chưa được tiếp nhận):\n{% for title in titles %}- {{ title }}\n{% endfor %}"
        "{% if more %}… và {{ more }} việc khác.\n{% endif %}\nXem tất cả: {{ url }}",
        "[IOC] {{ count }} items escalated to you",
        "Hello {{ recipient_name }},\n\nThe deadline sweep escalated {{ count }} items to you (deadline near, "
        "passed or not accepted):\n"
        "{% for title in titles %}- {{ title }}\n{% endfor %}{% if more %}… and {{ more }} more.\n{% endif %}"
        "\nSee them all: {{ url }}",
    ),
}


def register() -> None:
    """Called from AssignmentsConfig.ready(); re-registering identical text is allowed."""
    for code, (subject_vi, body_vi, subject_en, body_en) in TEMPLATES.items():
        register_template(code, subject_vi, body_vi, subject_en, body_en)
