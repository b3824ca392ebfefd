"""R4.3, R4.5, issue 12: the default escalation chain of incidents, as data.

Each breach escalates one tier: at the deadline the IOC leader is told, at 150 % the head of the holding agency,
at 200 % the province's leader (urgent). Administrators change it with `escalation_chain_set`, per kind too.
"""

from django.db import migrations

from ioc.assignments.migration_ops import default_chain_create

PROCESS = "incidents"
NAME = "Sự cố: mặc định / Incidents: default"
STEPS = (
    (1, 1.0, "ioc_leader", False),
    (2, 1.5, "agency_head", False),
    (3, 2.0, "province_leader", True),
)


def create_default_chain(apps, schema_editor):
    """Idempotent: an existing chain for (incidents, "") is left as the administrator set it."""
    default_chain_create(apps, process=PROCESS, name=NAME, steps=STEPS)


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0001_initial"),
        ("assignments", "0003_default_citizen_reports_chain"),
    ]

    operations = [
        migrations.RunPython(create_default_chain, migrations.RunPython.noop),
    ]
