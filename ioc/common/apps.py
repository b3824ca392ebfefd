from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "ioc.common"
    label = "common"
    verbose_name = "Dùng chung / Common"

    def ready(self) -> None:
        """Registers the settings' system checks; a process without its secrets stops here (ioc/common/checks.py)."""
        from ioc.common import checks

        checks.register()
        checks.refuse_to_start()

        # django.contrib.admin (listed before this app) has loaded every app's admin module by now.
        from ioc.common.admin import third_party_admins_unregister

        third_party_admins_unregister()
