"""The shape of a demo profile (R11): a locality's act, territory, agencies, demo accounts and systems.

A profile is data only. `ioc.demo.foundation` turns it into rows through the real services.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Act:
    """The regulation the deployment operates under; demo account requests cite it (R7.2)."""

    number: str
    date: dt.date
    issuing_body: str
    title: str
    signer: str = ""
    date_note: str = ""
    valid_until: dt.date | None = None


@dataclass(frozen=True)
class AgencySpec:
    """An agency and the roles the act gives it, each citing an article (`002:8.1`) or `demo`."""

    code: str
    name: str
    kind: str
    roles: tuple[tuple[str, str], ...] = ()
    parent: str = ""
    short_name: str = ""
    name_en: str = ""
    works_24x7: bool = False
    # A 2025 unit code the agency answers for: "root" means the territory's root unit.
    unit: str = ""


@dataclass(frozen=True)
class CommuneCommittees:
    """UBND xã/phường created for some of the territory's communes, as processing agencies."""

    preferred_codes: tuple[str, ...]
    count: int
    role: str
    source: str


@dataclass(frozen=True)
class AccountSpec:
    """A demo login. `agency` is an agency code, or `commune:<n>` for the n-th commune committee."""

    username: str
    full_name: str
    role: str
    agency: str = ""
    title: str = ""


@dataclass(frozen=True)
class ScreenSpec:
    code: str
    name: str
    location: str


@dataclass(frozen=True)
class SystemSpec:
    """An information system of an agency and the token the demo prints for it."""

    code: str
    name: str
    agency: str
    description: str
    token_key: str
    scopes: tuple[str, ...]
    label: str


@dataclass(frozen=True)
class DutySpec:
    """A duty the act gives (R11, "Quy chế"): who carries it, the article, and what in the IOC carries it out:
    `url:<url name>` (a screen), `api:<path>` (an API) or `task:<name>` (a background job); empty when none."""

    code: str
    title: str
    source: str
    responsible: str = ""
    carried_out_by: str = ""


@dataclass(frozen=True)
class DomainSpec:
    """A monitored domain (`domain`), a data group (`data_group`) or a scenario kind (`scenario_kind`) of the act."""

    code: str
    name: str
    source: str
    kind: str = "domain"


@dataclass(frozen=True)
class ReportSpec:
    """A periodic report the act requires: frequency (`monthly`, `quarterly`, `half_yearly`, `yearly`, `ad_hoc`),
    to whom, and the day of the month it is due before (None when the act gives none)."""

    code: str
    name: str
    frequency: str
    source: str
    recipient: str = ""
    due_day: int | None = None
    due_rule: str = ""


@dataclass(frozen=True)
class CadenceSpec:
    """When agencies send the template (ISO weekdays: 1 = Monday … 7 = Sunday)."""

    weekdays: tuple[int, ...]
    description: str
    source: str


@dataclass(frozen=True)
class MeetingSpec:
    """A review meeting: frequency (`half_yearly`, `yearly`, …), who convenes it, what for."""

    code: str
    name: str
    frequency: str
    organiser: str
    source: str


@dataclass(frozen=True)
class AllowanceSpec:
    """A staff allowance in VND per person and `month`."""

    code: str
    beneficiary: str
    amount_vnd: int
    source: str
    period: str = "month"


@dataclass(frozen=True)
class StaffSpec:
    """A position of the center's staffing: how many, provided by whom."""

    code: str
    title: str
    count: int
    provided_by: str
    source: str


@dataclass(frozen=True)
class HoursSpec:
    """The center's working hours: office hours or around the clock, for the agency `agency` (a code)."""

    agency: str
    around_the_clock: bool
    source: str


@dataclass(frozen=True)
class Regulation:
    """What the act sets besides agencies (R11, issue 9 part 5): written into `ioc.regulation` by the foundation."""

    duties: tuple[DutySpec, ...] = ()
    domains: tuple[DomainSpec, ...] = ()
    reports: tuple[ReportSpec, ...] = ()
    cadence: CadenceSpec | None = None
    meetings: tuple[MeetingSpec, ...] = ()
    allowances: tuple[AllowanceSpec, ...] = ()
    staffing: tuple[StaffSpec, ...] = ()
    hours: HoursSpec | None = None


@dataclass(frozen=True)
class Profile:
    """R11: one deployment per seed.

    The territory is a named set of 2025 communes (DESIGN "Contracts: Territory"): the whole 2025 province
    `root_code` when `whole_province`, else the communes listed for `locality` in `ioc/geo/data/localities.json`
    (all in 2025 province `root_code`). `former_ref` is the legacy unit the act was issued for (history).
    `agency_aliases` maps agency codes the shared demo catalogues name (`cong-an-tinh`) to this profile's own.
    """

    key: str
    seed_file: str
    act: Act
    territory_name: str
    root_code: str
    expected_communes: int
    agencies: tuple[AgencySpec, ...]
    communes: CommuneCommittees
    admin: AccountSpec
    accounts: tuple[AccountSpec, ...]
    screen: ScreenSpec
    systems: tuple[SystemSpec, ...]
    email_domain: str = "canary.invalid"
    notes: tuple[str, ...] = field(default_factory=tuple)
    level: str = "province"
    locality: str = ""
    whole_province: bool = True
    former_ref: str = ""
    agency_aliases: tuple[tuple[str, str], ...] = ()
    regulation: Regulation = field(default_factory=Regulation)

    @property
    def seed(self) -> str:
        """The act's seed number (`002`), the prefix of every citation."""
        return self.seed_file[:3]

    def agency_code(self, code: str) -> str:
        """This profile's code for an agency a shared catalogue names (`cong-an-tinh` → `cong-an-huyen`)."""
        return dict(self.agency_aliases).get(code, code)
