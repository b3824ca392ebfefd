# Issue 12 "Speed", docs/decisions/0013: fewer index pages written by the escalation sweep.
# - next_escalation_at is indexed where set only: the sweep's due query (`next_escalation_at <= now`) reads set
#   values, and most rows it escalates are left without a next step (NULL entries were scattered index writes).
# - the timeline's actor column loses its index: nothing reads the timeline by actor (users are never deleted).
# The old indexes are dropped by name (the same on SQLite and PostgreSQL), not by AlterField: on SQLite that would
# copy the whole table to drop an index (ioc.common.migration_ops.index_drop).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from ioc.common.migration_ops import index_drop

NEXT_INDEX = "assignments_assignment_next_escalation_at_5bd04189"
ACTOR_INDEX = "assignments_assignmentupdate_actor_id_e35acf76"


class Migration(migrations.Migration):

    dependencies = [
        ('assignments', '0005_escalation_due_plan'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='assignment',
                    name='next_escalation_at',
                    field=models.DateTimeField(blank=True, null=True),
                ),
                migrations.AlterField(
                    model_name='assignmentupdate',
                    name='actor',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
            ],
            database_operations=[
                index_drop(NEXT_INDEX, table="assignments_assignment", column="next_escalation_at"),
                index_drop(ACTOR_INDEX, table="assignments_assignmentupdate", column="actor_id"),
            ],
        ),
        migrations.AddIndex(
            model_name='assignment',
            index=models.Index(condition=models.Q(('next_escalation_at__isnull', False)), fields=['next_escalation_at'], name='assign_next_escalation_idx'),
        ),
    ]
