"""R3.3, issue 3 "Deadlines and escalation": the default escalation chain of citizen reports, as data.

At 80 % of the allowed working time the holding agency's officers are reminded; at the deadline its head is
told; at 150 % the IOC leader is told (urgent). Administrators change it with `escalation_chain_set`.
"""

from django.db import migrations

PROCESS = "citizen_reports"
NAME = "Phản ánh hiện trường: mặc định / Citizen reports: default"
STEPS = (
    (1, 0.8, "agency_officer", False),
    (2, 1.0, "agency_head", False),
    (3, 1.5, "ioc_leader", True),
)


def create_default_chain(apps, schema_editor):
    """Idempotent: an existing chain for (citizen_reports, "") is left as the administrator set it."""
    EscalationChain = apps.get_model("assignments", "EscalationChain")
    EscalationStep = apps.get_model("assignments", "EscalationStep")
    chain, created = EscalationChain.objects.get_or_create(
        process=PROCESS, category_code="", defaults={"name": NAME}
    )
    if not created:
        return
    for order, at_share, role, urgent in STEPS:
        EscalationStep.objects.create(chain=chain, order=order, at_share=at_share, role=role, urgent=urgent)


class Migration(migrations.Migration):

    dependencies = [
        ("assignments", "0002_started_at"),
    ]

    operations = [
        migrations.RunPython(create_default_chain, migrations.RunPython.noop),
    ]
