from django.apps import AppConfig

# R4.6, R5.2: messages (Vietnamese first), registered with notifications: no second outbox.
TEMPLATES = (
    (
        "scenarios.activated",
        "[IOC] Kích hoạt kịch bản “{{ scenario }}” — {{ reference }}",
        "Kịch bản “{{ scenario }}” (phiên bản {{ version }}) đã được kích hoạt, sự cố {{ reference }}.\n"
        "{% if reason %}Lý do: {{ reason }}\n{% endif %}{% if message %}{{ message }}\n{% endif %}Xem: {{ url }}",
        "[IOC] Scenario “{{ scenario }}” activated — {{ reference }}",
        "Scenario “{{ scenario }}” (version {{ version }}) was activated, incident {{ reference }}.\n"
        "{% if reason %}Reason: {{ reason }}\n{% endif %}{% if message %}{{ message }}\n{% endif %}See: {{ url }}",
    ),
    (
        "scenarios.warning_approval",
        "[IOC] Cảnh báo công khai chờ duyệt: {{ headline }}",
        "Cảnh báo “{{ headline }}” (mức độ {{ severity }}, {{ area }}) chờ lãnh đạo IOC duyệt trước khi phát hành.\n"
        "Xem: {{ url }}",
        "[IOC] Public warning awaiting approval: {{ headline }}",
        "Warning “{{ headline }}” (severity {{ severity }}, {{ area }}) awaits the IOC leader's approval.\n"
        "See: {{ url }}",
    ),
)


class ScenariosConfig(AppConfig):
    name = "ioc.scenarios"
    label = "scenarios"
    verbose_name = "Kịch bản điều hành, cảnh báo công khai / Scenarios and public warnings"

    def ready(self) -> None:
        from ioc.incidents.services import alert_hook_register
        from ioc.notifications.services import register_template
        from ioc.scenarios.services import scenario_alert_hook

        for code, subject_vi, body_vi, subject_en, body_en in TEMPLATES:
            register_template(code, subject_vi, body_vi, subject_en, body_en)
        alert_hook_register("scenarios", scenario_alert_hook)
