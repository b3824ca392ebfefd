"""Who may read the map's API (R6.1, R6.2, R7.1): every staff role and the wall screens; each domain's hook
applies the user's scope (leaders: the territory; agency roles: their agency's work)."""

from ioc.accounts.choices import Role
from ioc.common.access import object_scoped

MAP_POLICY = object_scoped(
    Role.SYSTEM_ADMIN,
    Role.IOC_OPERATOR,
    Role.IOC_LEADER,
    Role.PROVINCE_LEADER,
    Role.AGENCY_OFFICER,
    Role.AGENCY_HEAD,
    Role.DISPLAY_SCREEN,
    note="each domain's map hook applies user_scope: agency roles see their agency's records only",
)
