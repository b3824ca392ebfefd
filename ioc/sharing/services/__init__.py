"""Every write of data sharing (R1.6), re-exported: `from ioc.sharing import services`."""

from ioc.sharing.services.grants import grant_revoke, shared_read_record
from ioc.sharing.services.reminders import access_request_reminders_send
from ioc.sharing.services.requests import access_request_approve, access_request_refuse, access_request_submit
from ioc.sharing.services.terms import TERMS_ROLES, sharing_terms_set

__all__ = [
    "TERMS_ROLES",
    "access_request_approve",
    "access_request_refuse",
    "access_request_reminders_send",
    "access_request_submit",
    "grant_revoke",
    "shared_read_record",
    "sharing_terms_set",
]
