# Issue 12 "Speed", docs/decisions/0013: the escalation sweep writes a timeline line per escalated deadline; the
# timeline is read by its incident only, so its actor, alert and assignment columns lose their indexes (users,
# alerts and assignments are never deleted: their indexes served no read). Dropped by name (the same on SQLite and
# PostgreSQL: ioc.common.migration_ops.index_drop), not by AlterField: on SQLite that would copy the table three
# times.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from ioc.common.migration_ops import index_drop

INDEXES = {
    "incidents_incidentevent_actor_id_098f99cf": "actor_id",
    "incidents_incidentevent_alert_id_f1a44aee": "alert_id",
    "incidents_incidentevent_assignment_id_30a04780": "assignment_id",
}


class Migration(migrations.Migration):

    dependencies = [
        ('assignments', '0006_escalation_write_indexes'),
        ('incidents', '0006_alert_kinds_and_sources'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='incidentevent',
                    name='actor',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='incidentevent',
                    name='alert',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='incidents.alert'),
                ),
                migrations.AlterField(
                    model_name='incidentevent',
                    name='assignment',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='assignments.assignment'),
                ),
            ],
            database_operations=[
                index_drop(name, table="incidents_incidentevent", column=column) for name, column in INDEXES.items()
            ],
        ),
    ]
