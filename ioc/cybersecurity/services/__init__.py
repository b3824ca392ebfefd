"""Every write of the information-security watch (R5.6), re-exported: `from ioc.cybersecurity import services`."""

from ioc.cybersecurity.services.assets import (
    asset_create,
    asset_rebaseline,
    asset_update,
    event_rule_set,
    event_source_set,
)
from ioc.cybersecurity.services.checks import asset_claim, check_record, checks_run_due
from ioc.cybersecurity.services.events import event_rules_sweep, events_purge, events_store, rejection_count
from ioc.cybersecurity.services.history import history_events_bulk, history_results_bulk
from ioc.cybersecurity.services.malware import (
    malware_dataset_ensure,
    malware_indicators_add,
    malware_report_submit,
)
from ioc.cybersecurity.services.vulnerabilities import exposure_follow, vulnerability_create

__all__ = [
    "asset_claim",
    "asset_create",
    "asset_rebaseline",
    "asset_update",
    "check_record",
    "checks_run_due",
    "event_rule_set",
    "event_rules_sweep",
    "event_source_set",
    "events_purge",
    "events_store",
    "exposure_follow",
    "history_events_bulk",
    "history_results_bulk",
    "malware_dataset_ensure",
    "malware_indicators_add",
    "malware_report_submit",
    "rejection_count",
    "vulnerability_create",
]
