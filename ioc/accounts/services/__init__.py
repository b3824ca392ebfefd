"""Every write on accounts (R7.1, R7.2, R7.4).

An account is created, given or stripped of a role, locked, unlocked, reset or removed, and a token issued or
revoked, only by applying a pending `AccountRequest` of the matching kind: the official written document
(number, date, issuing body, optional scan) and its approver. Without one the service refuses and writes nothing.
"""

from ioc.accounts.services.accounts import (
    RoleSpec,
    account_provision,
    admin_bootstrap,
    role_grant,
    role_revoke,
    user_create,
    user_lock,
    user_remove,
    user_reset,
    user_unlock,
)
from ioc.accounts.services.own import (
    password_change,
    second_factor_verify,
    totp_enrolment_confirm,
    totp_enrolment_start,
)
from ioc.accounts.services.requests import APPROVER_ROLES, account_request_record
from ioc.accounts.services.submit import ChangeResult, account_change_submit
from ioc.accounts.services.system import system_account_ensure
from ioc.accounts.services.system_submit import service_account_submit
from ioc.accounts.services.systems import (
    display_screen_register,
    service_account_create,
    token_issue,
    token_mark_used,
    token_revoke,
)
from ioc.accounts.signals import token_refused  # the signal other apps listen to (R5.6)

__all__ = [
    "APPROVER_ROLES",
    "ChangeResult",
    "RoleSpec",
    "account_change_submit",
    "account_provision",
    "account_request_record",
    "admin_bootstrap",
    "display_screen_register",
    "password_change",
    "role_grant",
    "role_revoke",
    "second_factor_verify",
    "service_account_create",
    "service_account_submit",
    "system_account_ensure",
    "token_issue",
    "token_mark_used",
    "token_refused",
    "token_revoke",
    "totp_enrolment_confirm",
    "totp_enrolment_start",
    "user_create",
    "user_lock",
    "user_remove",
    "user_reset",
    "user_unlock",
]
