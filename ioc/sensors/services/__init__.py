"""Every write of sensor data (R5.5), re-exported: `from ioc.sensors import services`.

`entities.py` (SensorThings creates, deep insert, changes, deletes), `observations.py` (dataArray, MQTT batches,
history load), `rules.py` (alert rules, silences, ready rules), `rule_eval.py` (evaluation on each batch
and the sweep by due time), `cameras.py` (registry, events, silent
cameras), `_base.py` (the latest state, observation rows, publishing after commit).
"""

from ioc.sensors.services._base import ObservationRow, Reading, latest_refresh, latest_update
from ioc.sensors.services.broker import broker_acl_sync, broker_credential_issue, broker_credential_revoke
from ioc.sensors.services.cameras import camera_create, camera_event_receive, camera_update, cameras_flag_silent
from ioc.sensors.services.entities import (
    NotFound,
    check_result,
    entity_create,
    entity_delete,
    entity_lookup,
    entity_update,
    feature_for,
)
from ioc.sensors.services.observations import observations_create, observations_ingest, observations_load_history
from ioc.sensors.services.receipts import observation_receipts_prune
from ioc.sensors.services.rule_eval import rules_evaluate, rules_sweep
from ioc.sensors.services.rules import (
    rule_create,
    rule_update,
    rules_install_standard,
    silence_create,
    silence_expire,
)

__all__ = [
    "NotFound",
    "ObservationRow",
    "Reading",
    "broker_acl_sync",
    "broker_credential_issue",
    "broker_credential_revoke",
    "camera_create",
    "camera_event_receive",
    "camera_update",
    "cameras_flag_silent",
    "check_result",
    "entity_create",
    "entity_delete",
    "entity_lookup",
    "entity_update",
    "feature_for",
    "latest_refresh",
    "latest_update",
    "observation_receipts_prune",
    "observations_create",
    "observations_ingest",
    "observations_load_history",
    "rule_create",
    "rule_update",
    "rules_evaluate",
    "rules_install_standard",
    "rules_sweep",
    "silence_create",
    "silence_expire",
]
