from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate

_HELLO_VI = "{% if recipient_name %}Xin chào {{ recipient_name }},{% else %}Xin chào,{% endif %}\n\n"
_HELLO_EN = "{% if recipient_name %}Hello {{ recipient_name }},{% else %}Hello,{% endif %}\n\n"
_FOLLOW_VI = (
    "{% if is_duplicate %}Phản ánh {{ own_tracking_code }} của bạn trùng với phản ánh này nên được theo dõi "
    "cùng.\n{% endif %}"
)
_FOLLOW_EN = "{% if is_duplicate %}Your report {{ own_tracking_code }} repeats this one and follows it.\n{% endif %}"

# R3.4: messages to reporters (Vietnamese first); rendered once at enqueue time (notifications registry).
TEMPLATES = (
    (
        "citizen_reports.received",
        "[IOC] Đã tiếp nhận phản ánh {{ tracking_code }}",
        _HELLO_VI + "Trung tâm IOC đã tiếp nhận phản ánh của bạn về “{{ category }}”.\n"
        "Mã tra cứu: {{ tracking_code }}\nTheo dõi: {{ tracking_url }}\n\n"
        "Liên kết riêng để đánh giá hoặc mở lại phản ánh (không chia sẻ): {{ private_url }}",
        "[IOC] Report {{ tracking_code }} received",
        _HELLO_EN + "The IOC has received your report about “{{ category }}”.\n"
        "Tracking code: {{ tracking_code }}\nFollow it: {{ tracking_url }}\n\n"
        "Your private link to rate or reopen it (do not share): {{ private_url }}",
    ),
    (
        "citizen_reports.forwarded",
        "[IOC] Phản ánh {{ tracking_code }} đã được chuyển xử lý",
        _HELLO_VI + _FOLLOW_VI + "Phản ánh {{ tracking_code }} đã được chuyển đến {{ agency }} xử lý"
        "{% if deadline %}, hạn {{ deadline }}{% endif %}.\nTheo dõi: {{ tracking_url }}",
        "[IOC] Report {{ tracking_code }} forwarded",
        _HELLO_EN + _FOLLOW_EN + "Report {{ tracking_code }} has been forwarded to {{ agency }}"
        "{% if deadline %}, due {{ deadline }}{% endif %}.\nFollow it: {{ tracking_url }}",
    ),
    (
        "citizen_reports.resolved",
        "[IOC] Phản ánh {{ tracking_code }} đã được xử lý",
        _HELLO_VI + _FOLLOW_VI + "{{ agency }} đã báo cáo kết quả xử lý phản ánh {{ tracking_code }}; "
        "Trung tâm IOC đang kiểm tra trước khi công khai.\nTheo dõi: {{ tracking_url }}",
        "[IOC] Report {{ tracking_code }} handled",
        _HELLO_EN + _FOLLOW_EN + "{{ agency }} has reported the result for report {{ tracking_code }}; "
        "the IOC is checking it before publishing.\nFollow it: {{ tracking_url }}",
    ),
    (
        "citizen_reports.published",
        "[IOC] Kết quả xử lý phản ánh {{ tracking_code }}",
        _HELLO_VI + _FOLLOW_VI + "Kết quả xử lý phản ánh {{ tracking_code }} đã được công khai:\n{{ result }}\n\n"
        "Xem: {{ tracking_url }}\nBạn có thể đánh giá hoặc mở lại bằng liên kết riêng đã nhận khi gửi phản ánh.",
        "[IOC] Result of report {{ tracking_code }}",
        _HELLO_EN + _FOLLOW_EN + "The result of report {{ tracking_code }} has been published:\n{{ result }}\n\n"
        "See: {{ tracking_url }}\nYou may rate or reopen it with the private link you received.",
    ),
    (
        "citizen_reports.duplicate",
        "[IOC] Phản ánh {{ own_tracking_code }} trùng phản ánh {{ tracking_code }}",
        _HELLO_VI + "Phản ánh {{ own_tracking_code }} của bạn trùng với phản ánh {{ tracking_code }} đã được "
        "tiếp nhận trước. Bạn sẽ nhận thông báo về phản ánh {{ tracking_code }}.\nTheo dõi: {{ tracking_url }}",
        "[IOC] Report {{ own_tracking_code }} repeats report {{ tracking_code }}",
        _HELLO_EN + "Your report {{ own_tracking_code }} repeats report {{ tracking_code }}, received earlier. "
        "You will be told about report {{ tracking_code }}.\nFollow it: {{ tracking_url }}",
    ),
)


class CitizenReportsConfig(AppConfig):
    name = "ioc.citizen_reports"
    label = "citizen_reports"
    verbose_name = "Phản ánh hiện trường / Citizen field reports"

    def ready(self) -> None:
        from ioc.citizen_reports import handlers
        from ioc.notifications.services import register_template

        for code, subject_vi, body_vi, subject_en, body_en in TEMPLATES:
            register_template(code, subject_vi, body_vi, subject_en, body_en)
        handlers.register()
        post_migrate.connect(_statistics_cells_ensure, sender=self)
        post_migrate.connect(_text_index_ensure, sender=self)


def _statistics_cells_ensure(*, using: str, **kwargs: Any) -> None:
    """R3.5: after every `migrate`, the statistics triggers exist and match the code (rollup.cells_ensure); a
    later migration that rebuilds the reports table on SQLite would otherwise drop them without a word."""
    from django.db import connections, router

    from ioc.citizen_reports.models import StatisticsCell
    from ioc.citizen_reports.rollup import CELL_TABLE, cells_ensure

    if not router.allow_migrate_model(using, StatisticsCell):
        return
    if CELL_TABLE in connections[using].introspection.table_names():
        cells_ensure(using=using)


def _text_index_ensure(*, using: str, **kwargs: Any) -> None:
    """R7.1: after every `migrate`, the text search index's triggers exist (text_index.text_index_ensure): a later
    migration that rebuilds the reports table on SQLite would otherwise drop them."""
    from django.db import connections, router

    from ioc.citizen_reports.models import Report
    from ioc.citizen_reports.text_index import REPORT_TABLE, text_index_ensure

    if not router.allow_migrate_model(using, Report):
        return
    if REPORT_TABLE in connections[using].introspection.table_names():
        text_index_ensure(using=using)
