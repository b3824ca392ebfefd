"""Every write of the indicators (R2.1–R2.6), re-exported: `from ioc.indicators import services`."""

from ioc.indicators.services.calls import calls_answer, data_call_cancel, data_call_create, data_calls_remind
from ioc.indicators.services.catalog import IndicatorSpec, catalog_version_approve, spec_problems
from ioc.indicators.services.readysets import readyset_load
from ioc.indicators.services.recompute import indicators_recompute
from ioc.indicators.services.rules import (
    call_rule_create,
    call_rule_end,
    call_rule_pause,
    call_rule_resume,
    call_rules_open_due,
)
from ioc.indicators.services.sources import (
    SyncResult,
    dataset_indicators_sync,
    indicator_sources_sync,
    indicator_sync_now,
    sensor_indicators_sync,
)
from ioc.indicators.services.targets import target_set, targets_set_bulk
from ioc.indicators.services.values import ValueRow, values_check, values_import
from ioc.indicators.services.warnings import warning_raise

__all__ = [
    "IndicatorSpec",
    "SyncResult",
    "ValueRow",
    "call_rule_create",
    "call_rule_end",
    "call_rule_pause",
    "call_rule_resume",
    "call_rules_open_due",
    "calls_answer",
    "catalog_version_approve",
    "data_call_cancel",
    "data_call_create",
    "data_calls_remind",
    "dataset_indicators_sync",
    "indicator_sources_sync",
    "indicator_sync_now",
    "indicators_recompute",
    "readyset_load",
    "sensor_indicators_sync",
    "spec_problems",
    "target_set",
    "targets_set_bulk",
    "values_check",
    "values_import",
    "warning_raise",
]
