"""What the incident selectors share: the user's scope over incidents and alerts. Not imported outside."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ioc.accounts.selectors import Scope, scope_filter, user_scope
from ioc.assignments.models import Assignment
from ioc.incidents.choices import PROCESS
from ioc.incidents.models import Alert, Incident


def scoped_incidents(user: Any) -> QuerySet[Incident]:
    """R7.1: territory roles see every incident; an agency's roles the incidents it holds a part of (any
    status) and those in their units."""
    scope = user_scope(user=user)
    qs = Incident.objects.all()
    if scope.everything:
        return qs
    if scope.is_empty:
        return qs.none()
    parts = scope_filter(Assignment.objects.filter(process=PROCESS), scope=scope, agency_field="agency")
    held = [int(value) for value in parts.values_list("subject_id", flat=True) if str(value).isdigit()]
    condition = Q(pk__in=held)
    if scope.unit_paths:
        in_units = scope_filter(qs, scope=Scope(unit_paths=scope.unit_paths), unit_field="unit")
        condition |= Q(pk__in=in_units.values("pk"))
    return qs.filter(condition)


def scoped_alerts(user: Any) -> QuerySet[Alert]:
    """R4.1: the alert inbox is the IOC's (territory roles); nobody else sees raw alerts."""
    return Alert.objects.all() if user_scope(user=user).everything else Alert.objects.none()
