"""Who does what with reports (R8.1–R8.3, R7.1)."""

from ioc.common.roles import Role

# Generate, edit, refresh and issue: the IOC's operators and leaders for the territory; an agency's officers and
# head for their agency (the scope check in services narrows them); the system account (an administrator) drafts the
# calendar's reports.
AUTHOR_ROLES = frozenset({Role.IOC_OPERATOR, Role.IOC_LEADER, Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.SYSTEM_ADMIN})
# Read and download issued reports: the authors, the province's leaders and the administrator.
READER_ROLES = AUTHOR_ROLES | {Role.PROVINCE_LEADER, Role.SYSTEM_ADMIN}
# R8.4: prepare review meetings (agenda, briefing, minutes, decisions, follow-up): the IOC's operators and leaders
# and the administrator; the same, and the province's leaders, read them.
MEETING_ROLES = frozenset({Role.IOC_OPERATOR, Role.IOC_LEADER, Role.SYSTEM_ADMIN})
MEETING_READER_ROLES = MEETING_ROLES | {Role.PROVINCE_LEADER}
