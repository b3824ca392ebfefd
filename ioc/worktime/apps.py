from django.apps import AppConfig


class WorktimeConfig(AppConfig):
    name = "ioc.worktime"
    label = "worktime"
    verbose_name = "Thời gian làm việc / Working time"
