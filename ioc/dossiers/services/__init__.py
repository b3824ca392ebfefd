"""Every write of dossiers (R5.3, R4.2), re-exported: `from ioc.dossiers import services`."""

from ioc.dossiers.services.history import PastDossier, dossier_history_bulk_create
from ioc.dossiers.services.intake import dossier_event_receive
from ioc.dossiers.services.procedure_import import procedure_import
from ioc.dossiers.services.procedures import procedure_version_set
from ioc.dossiers.services.pull import dossier_events_pull
from ioc.dossiers.services.recheck import dossier_recheck
from ioc.dossiers.services.scores import service_scores_compute
from ioc.dossiers.services.sweep import dossiers_sweep_due, held_events_expire
from ioc.dossiers.services.violations import violation_confirm, violation_dismiss, violation_follow_assignment

__all__ = [
    "PastDossier",
    "dossier_event_receive",
    "dossier_events_pull",
    "dossier_history_bulk_create",
    "dossier_recheck",
    "dossiers_sweep_due",
    "held_events_expire",
    "procedure_import",
    "procedure_version_set",
    "service_scores_compute",
    "violation_confirm",
    "violation_dismiss",
    "violation_follow_assignment",
]
