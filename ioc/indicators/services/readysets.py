"""R2.5: load the ready indicator sets the profile's act calls for, as one approved catalogue version."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ioc.agencies.selectors import agency_get
from ioc.indicators.models import CatalogVersion, Indicator
from ioc.indicators.readysets import READY, SECTOR_AGENCIES, SECTOR_DOMAINS, Ready, sectors_for, source_of
from ioc.indicators.services.catalog import IndicatorSpec, catalog_version_approve
from ioc.regulation.selectors import monitored_domains

if TYPE_CHECKING:
    from ioc.accounts.models import User


def _agency_code(sector: str) -> str | None:
    return next((code for code in SECTOR_AGENCIES.get(sector, ()) if agency_get(code=code) is not None), None)


def _citation(sector: str, sources: dict[str, str]) -> str:
    found = sorted(sources[d] for d in SECTOR_DOMAINS.get(sector, frozenset()) if sources.get(d))
    return found[0] if found else "đề xuất"


def _spec(ready: Ready, sources: dict[str, str]) -> IndicatorSpec:
    spec = IndicatorSpec(
        code=ready.code, name=ready.name, name_en=ready.name_en, unit_label=ready.unit_label, sector=ready.sector,
        period_type=ready.period_type, levels=list(ready.levels), definition=ready.definition,
        agency=_agency_code(ready.sector), aggregation=ready.aggregation, direction=ready.direction,
        source=source_of(ready), formula=ready.formula, weight_code=ready.weight_code,
        allow_negative=ready.allow_negative, citation=_citation(ready.sector, sources),
    )  # fmt: skip
    if ready.range_low is not None:
        spec["range_low"], spec["range_high"] = ready.range_low, ready.range_high
    return spec


def readyset_load(
    *, actor: User, profile: str, decision_no: str, decision_date: dt.date, signer: str
) -> CatalogVersion | None:
    """R2.5: add the ready indicators of the sectors the act's monitored domains call for (all when it names none)
    that the catalogue lacks, in one version; None when there is nothing to add."""
    domains = list(monitored_domains(kind=None, profile=profile).values_list("code", "source"))
    sources = {code: source for code, source in domains}
    sectors = sectors_for(set(sources))
    present = set(Indicator.objects.values_list("code", flat=True))
    specs = [_spec(r, sources) for r in READY if r.sector in sectors and r.code not in present]
    if not specs:
        return None
    return catalog_version_approve(
        actor=actor, decision_no=decision_no, decision_date=decision_date, signer=signer,
        note="Bộ chỉ số sẵn có theo các lĩnh vực giám sát của quy chế", add=specs,
    )  # fmt: skip
