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
class Profile:
    """R11: one deployment per seed."""

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
