"""Who may reach the operators' pages and API of citizen reports (R3.3, R3.5, R7.1)."""

from ioc.accounts.choices import Role
from ioc.common.access import object_scoped, roles

# The IOC handles the queue: verification, location, forwarding, publication, hotline, e-mail intake.
OPERATOR_POLICY = roles(Role.IOC_OPERATOR, Role.IOC_LEADER)
# A report's page: the IOC sees every report; an agency's officers and head see the reports their agency holds.
REPORT_POLICY = object_scoped(
    Role.IOC_OPERATOR,
    Role.IOC_LEADER,
    Role.AGENCY_OFFICER,
    Role.AGENCY_HEAD,
    note="report_get_for: the IOC sees every report; agency roles only the reports their agency holds (else 404)",
)
# Statistics: every staff role; agency roles see their agency's reports only (statistics.scope_filter).
STATISTICS_POLICY = object_scoped(
    Role.SYSTEM_ADMIN,
    Role.IOC_OPERATOR,
    Role.IOC_LEADER,
    Role.PROVINCE_LEADER,
    Role.AGENCY_OFFICER,
    Role.AGENCY_HEAD,
    note="citizen_reports_statistics: agency roles count only the reports their agency holds",
)
