from django.apps import AppConfig

# R10.2–R10.4: messages of running the center (Vietnamese first); rendered once at enqueue time.
TEMPLATES = (
    (
        "operations.shift_next",
        "[IOC] Ca trực sắp tới: {{ label }} lúc {{ starts_at }}",
        "Anh/chị có ca trực {{ label }} bắt đầu lúc {{ starts_at }}.",
        "[IOC] Next duty: {{ label }} at {{ starts_at }}",
        "You are on duty ({{ label }}) from {{ starts_at }}.",
    ),
    (
        "operations.maintenance_due",
        "[IOC] Đến hạn bảo dưỡng: {{ asset }} ({{ due_on }})",
        "Thiết bị {{ asset }} đến hạn kiểm tra, bảo dưỡng ngày {{ due_on }}.",
        "[IOC] Maintenance due: {{ asset }} ({{ due_on }})",
        "{{ asset }} is due for maintenance on {{ due_on }}.",
    ),
)


class OperationsConfig(AppConfig):
    name = "ioc.operations"
    label = "operations"
    verbose_name = "Vận hành Trung tâm / Running the center"

    def ready(self) -> None:
        from ioc.notifications.services import register_template
        from ioc.operations import handlers

        handlers.register()

        for code, subject_vi, body_vi, subject_en, body_en in TEMPLATES:
            register_template(code, subject_vi, body_vi, subject_en, body_en)
