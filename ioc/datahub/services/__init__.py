"""Every write of the shared data hub (R1.1, R1.2, R1.4, R1.5, R1.7), re-exported:
`from ioc.datahub import services`. One module per step: catalog (datasets), ingest (`submission_ingest`, the one
way rows come in), jobs (large imports as durable work), connectors (pull connectors: R1.2b), entry (the web
form), bulk (older history), sheets (the annotated error sheet); `_base` holds what they share.
"""

from ioc.datahub.services._base import DEFAULT_MAX_UPLOAD_BYTES, max_upload_bytes
from ioc.datahub.services.bulk import BulkSubmission, submission_load_bulk
from ioc.datahub.services.catalog import CATALOG_ROLES, dataset_create, dataset_publish, dataset_update
from ioc.datahub.services.connectors import (
    CONNECTOR_ROLES,
    ConnectorSettings,
    connector_run_now,
    connector_set,
    connectors_run_due,
)
from ioc.datahub.services.entry import submission_enter
from ioc.datahub.services.ingest import IngestResult, JobLost, submission_ingest
from ioc.datahub.services.jobs import ingest_job_claim, ingest_job_create, ingest_jobs_run_due, is_large
from ioc.datahub.services.obligations import obligation_reminders_send, obligation_set
from ioc.datahub.services.sheets import error_sheet_request, error_sheets_expire, error_sheets_run_due

__all__ = [
    "CATALOG_ROLES",
    "CONNECTOR_ROLES",
    "DEFAULT_MAX_UPLOAD_BYTES",
    "BulkSubmission",
    "ConnectorSettings",
    "IngestResult",
    "JobLost",
    "connector_run_now",
    "connector_set",
    "connectors_run_due",
    "dataset_create",
    "dataset_publish",
    "dataset_update",
    "error_sheet_request",
    "error_sheets_expire",
    "error_sheets_run_due",
    "ingest_job_claim",
    "ingest_job_create",
    "ingest_jobs_run_due",
    "is_large",
    "max_upload_bytes",
    "obligation_reminders_send",
    "obligation_set",
    "submission_enter",
    "submission_ingest",
    "submission_load_bulk",
]
