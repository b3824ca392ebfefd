"""R4.3, R4.5, issue 12: the default escalation chain of incidents, as data.

Each breach escalates one tier: at the deadline the IOC leader is told, at 150 % the head of the holding agency,
at 200 % the province's leader (urgent). Administrators change it with `escalation_chain_set`, per kind too.
"""

from django.db import migrations

PROCESS = "incidents"
NAME = "Sự cố: mặc định / Incidents: default"
STEPS = (
    (1, 1.0, "ioc_leader", False),
    (2, 1.5, "agency_head", False),
    (3, 2.0, "province_leader", True),
)


def create_default_chain(apps, schema_editor):
    """Idempotent: an existing chain for (incidents, "") is left as the administrator set it."""
    EscalationChain = apps.get_model("assignments", "EscalationChain")
    EscalationStep = apps.get_model("assignments", "EscalationStep")
    chain, created = EscalationChain.objects.get_or_create(process=PROCESS, category_code="", defaults={"name": NAME})
    if not created:
        return
    for order, at_share, role, urgent in STEPS:
        EscalationStep.objects.create(chain=chain, order=order, at_share=at_share, role=role, urgent=urgent)


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0001_initial"),
        ("assignments", "0003_default_citizen_reports_chain"),
    ]

    operations = [
        migrations.RunPython(create_default_chain, migrations.RunPython.noop),
    ]
