"""R4.2, R5.3 (issue 23 item 5): the default escalation chain of the process "dossiers", as data.

A confirmed time-bound violation is forwarded to the agency that broke the rule (`assignment_forward`); when its
handling runs late, at the deadline the head of that agency is told, at 150 % the IOC leader, at 200 % the
province's leader (urgent). Administrators change it with `escalation_chain_set`.
"""

from django.db import migrations

from ioc.assignments.migration_ops import default_chain_create

PROCESS = "dossiers"
NAME = "Vi phạm hồ sơ: mặc định / Dossier violations: default"
STEPS = (
    (1, 1.0, "agency_head", False),
    (2, 1.5, "ioc_leader", False),
    (3, 2.0, "province_leader", True),
)


def create_default_chain(apps, schema_editor):
    """Idempotent: an existing chain for (dossiers, "") is left as the administrator set it."""
    default_chain_create(apps, process=PROCESS, name=NAME, steps=STEPS)


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0002_scores_pull"),
        ("assignments", "0003_default_citizen_reports_chain"),
    ]

    operations = [
        migrations.RunPython(create_default_chain, migrations.RunPython.noop),
    ]
