"""Third-party admin pages that would write outside our services are removed (DESIGN: admin is read-only
or calls services). Devices change only through account requests (R7.2); Django groups are not used."""

from django.contrib import admin
from django.contrib.auth.models import Group

for model in [Group]:
    if admin.site.is_registered(model):
        admin.site.unregister(model)

try:  # django-otp and django-axes register their own admins; both write behind the services' back.
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice
except ImportError:  # pragma: no cover - both are hard dependencies
    pass
else:
    for model in [TOTPDevice, StaticDevice, AccessAttempt, AccessLog, AccessFailureLog]:
        if admin.site.is_registered(model):
            admin.site.unregister(model)
