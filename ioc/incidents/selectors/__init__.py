"""Reads of alerts and incidents (R4.1–R4.5), scoped by `accounts.selectors.user_scope`; every name re-exported
here (`from ioc.incidents import selectors`): `staff` (the alert inbox, incidents, the actions a user may take),
`maps` (map hooks and work items), `kpi` (figures for dashboards and reports)."""

from ioc.incidents.selectors.kpi import OnTime, alerts_counts, incidents_counts, incidents_on_time, incidents_times
from ioc.incidents.selectors.maps import (
    WorkItem,
    incidents_counts_in_area,
    incidents_features,
    incidents_map_version,
    incidents_work_items,
)
from ioc.incidents.selectors.staff import (
    OPEN,
    Actions,
    agencies_to_forward,
    alert_get_for,
    alert_inbox,
    alert_unacknowledged_severe,
    forces_to_dispatch,
    incident_actions,
    incident_event_file,
    incident_get_for,
    incident_list,
    incident_open_choices,
    incident_parts,
)

__all__ = [
    "OPEN",
    "Actions",
    "OnTime",
    "WorkItem",
    "agencies_to_forward",
    "alert_get_for",
    "alert_inbox",
    "alert_unacknowledged_severe",
    "alerts_counts",
    "forces_to_dispatch",
    "incident_actions",
    "incident_event_file",
    "incident_get_for",
    "incident_list",
    "incident_open_choices",
    "incident_parts",
    "incidents_counts",
    "incidents_counts_in_area",
    "incidents_features",
    "incidents_map_version",
    "incidents_on_time",
    "incidents_times",
    "incidents_work_items",
]
