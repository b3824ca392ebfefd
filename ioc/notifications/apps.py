from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "ioc.notifications"
    label = "notifications"
    verbose_name = "Thông báo / Notifications"
