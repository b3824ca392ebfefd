"""R3.3, issue 3 "Deadlines and escalation": the default escalation chain of citizen reports, as data.

At 80 % of the allowed working time the holding agency's officers are reminded; at the deadline its head is
told; at 150 % the IOC leader is told (urgent). Administrators change it with `escalation_chain_set`.
"""

from django.db import migrations

from ioc.assignments.migration_ops import default_chain_create

PROCESS = "citizen_reports"
NAME = "Phản ánh hiện trường: mặc định / Citizen reports: default"
STEPS = (
    (1, 0.8, "agency_officer", False),
    (2, 1.0, "agency_head", False),
    (3, 1.5, "ioc_leader", True),
)


def create_default_chain(apps, schema_editor):
    """Idempotent: an existing chain for (citizen_reports, "") is left as the administrator set it."""
    default_chain_create(apps, process=PROCESS, name=NAME, steps=STEPS)


class Migration(migrations.Migration):
    dependencies = [
        ("assignments", "0002_started_at"),
    ]

    operations = [
        migrations.RunPython(create_default_chain, migrations.RunPython.noop),
    ]
