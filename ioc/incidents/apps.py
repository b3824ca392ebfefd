from django.apps import AppConfig

# R4.5: messages to the IOC's leadership (Vietnamese first); rendered once at enqueue time.
TEMPLATES = (
    (
        "incidents.severe",
        "[IOC] Sự cố nghiêm trọng {{ reference }}: {{ title }}",
        "Sự cố {{ reference }} ({{ kind }}), mức độ {{ severity }}{% if place %}, tại {{ place }}{% endif %}, "
        "cảnh báo lúc {{ raised_at }}.\n{% if text %}{{ text }}\n{% endif %}Xem: {{ url }}",
        "[IOC] Severe incident {{ reference }}: {{ title }}",
        "Incident {{ reference }} ({{ kind }}), severity {{ severity }}{% if place %}, at {{ place }}{% endif %}, "
        "raised at {{ raised_at }}.\n{% if text %}{{ text }}\n{% endif %}See: {{ url }}",
    ),
    (
        "incidents.verify_overdue",
        "[IOC] Cảnh báo chưa được xác minh: {{ title }}",
        "Cảnh báo “{{ title }}” ({{ kind }}, mức độ {{ severity }}) nhận lúc {{ raised_at }} chưa được xác minh "
        "trong thời hạn ({{ due_at }}).",
        "[IOC] Alert not verified: {{ title }}",
        "Alert “{{ title }}” ({{ kind }}, severity {{ severity }}) raised at {{ raised_at }} was not verified in "
        "time ({{ due_at }}).",
    ),
)


class IncidentsConfig(AppConfig):
    name = "ioc.incidents"
    label = "incidents"
    verbose_name = "Cảnh báo, sự cố / Alerts and incidents"

    def ready(self) -> None:
        from ioc.incidents import handlers
        from ioc.notifications.services import register_template

        for code, subject_vi, body_vi, subject_en, body_en in TEMPLATES:
            register_template(code, subject_vi, body_vi, subject_en, body_en)
        handlers.register()
