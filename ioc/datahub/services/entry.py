"""The web form channel (R1.2c): rows an officer types into the form generated from the dataset's Table Schema
go through `submission_ingest` like every other way in. They are checked first (a dry run): a typing mistake
comes back as an error on its field and stores nothing; only a clean set of rows is stored."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ioc.datahub.choices import Channel
from ioc.datahub.models import Dataset
from ioc.datahub.services.ingest import IngestResult, submission_ingest

if TYPE_CHECKING:
    from ioc.accounts.models import User
    from ioc.agencies.models import Agency


def submission_enter(
    *, actor: User, dataset: Dataset, agency: Agency, rows: list[dict[str, Any]], period: str = ""
) -> IngestResult:
    """R1.2c: store rows typed into the web form (channel "form") when they pass the schema; otherwise answer
    the dry run's summary (its conflicts name row and field) and store nothing."""
    checked = submission_ingest(
        actor=actor, dataset=dataset, agency=agency, channel=Channel.FORM, rows=rows, period=period, dry_run=True
    )
    if checked.summary["conflicts"]:
        return checked
    return submission_ingest(
        actor=actor, dataset=dataset, agency=agency, channel=Channel.FORM, rows=rows, period=period
    )
