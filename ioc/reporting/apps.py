from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReportingConfig(AppConfig):
    """R8.1–R8.4: reports ("báo cáo") produced from the IOC's data in the Decree 30/2020 layout, their calendar."""

    name = "ioc.reporting"
    label = "reporting"
    verbose_name = "Báo cáo / Reports"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from ioc.assignments.services import register_subject_handler
        from ioc.notifications.services import register_template
        from ioc.reporting.choices import DECISION_PROCESS
        from ioc.reporting.handlers import DecisionHandler
        from ioc.reporting.notices import TEMPLATES

        # Every domain app's `report_sections.py` registers its sections (ioc.common.report_sections).
        autodiscover_modules("report_sections")
        for code, subject_vi, body_vi, subject_en, body_en in TEMPLATES:
            register_template(code, subject_vi, body_vi, subject_en, body_en)
        register_subject_handler(DECISION_PROCESS, DecisionHandler())
        post_migrate.connect(_templates_ensure, sender=self)


def _templates_ensure(*, using: str, **kwargs: Any) -> None:
    """R8.1: the ready templates exist after every `migrate` (only missing codes are created)."""
    from ioc.reporting.services import report_templates_ensure

    report_templates_ensure(using=using)
