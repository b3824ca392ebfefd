from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ioc.audit"
    label = "audit"
    verbose_name = "Nhật ký / Audit"
