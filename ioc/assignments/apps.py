from django.apps import AppConfig


class AssignmentsConfig(AppConfig):
    name = "ioc.assignments"
    label = "assignments"
    verbose_name = "Xử lý của cơ quan / Agency work"

    def ready(self) -> None:
        from ioc.assignments import notices

        notices.register()
