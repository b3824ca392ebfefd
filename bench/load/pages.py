"""The load mix's writes made through staff pages (issue 16): the domains whose only write path is a form, each
posted as its persona does in a browser (a signed-in session with its second factor, a CSRF token), so that the
request reaches the same service the page calls.

- sharing (R1.6): an agency's request for a dataset's fields (`access_request_submit`), then the owner's refusal
  in writing (`access_request_refuse`), so the next request of the same agency is not refused as a duplicate;
- reporting (R8.1, R8.3): a draft of the monthly operations report for a period of its own (`report_generate`),
  then its issue under a number of its own (`report_issue`, the .docx and .xlsx built and hashed).

Registered into `registry.DOMAINS` when the registry is imported (its last line imports this module).
"""

from __future__ import annotations

import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from bench.load.registry import Domain, Expect, Target, WritePath, _extra_rows, register

SHARING_DATASET = "tai-chia-se"
REPORT_TEMPLATE = "operations-monthly"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a form's 302 is its acknowledgement: read its Location, do not follow it


_OPENER = urllib.request.build_opener(_NoRedirect)


def session_for(username: str) -> dict[str, str]:
    """In-process (prepare): a signed-in, second-factor-verified session of `username` and a CSRF secret."""
    from django.conf import settings
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    from ioc.accounts.models import User
    from ioc.accounts.testing import sign_in

    client = Client()
    sign_in(client, User.objects.get(username=username))
    session, csrf = client.cookies[settings.SESSION_COOKIE_NAME].value, _get_new_csrf_string()
    return {"cookie": f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}", "csrf": csrf}


def page_call(
    target: Target, method: str, path: str, who: dict[str, str], form: dict[str, Any] | None = None
) -> tuple[int, str, str] | None:
    """One page request as `who`: (status, Location, body), or None when there was no answer."""
    headers = {"Cookie": who["cookie"], "X-CSRFToken": who["csrf"]}
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form, doseq=True).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = urllib.request.Request(target.base + path, data=body, method=method, headers=headers)
    try:
        with _OPENER.open(request, timeout=target.timeout) as answer:
            return answer.status, answer.headers.get("Location", ""), answer.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:  # a 302 not followed arrives here too
        return error.code, error.headers.get("Location", ""), ""
    except (OSError, ValueError):
        return None


def _created_pk(answer: tuple[int, str, str] | None, pattern: str) -> int | None:
    """The id a form's redirect names (`/chia-se/yeu-cau/<pk>/`), when it answered 302 there."""
    if answer is None or answer[0] != 302:
        return None
    found = re.search(pattern, answer[1])
    return int(found.group(1)) if found else None


# --- sharing (an agency's request for a dataset, refused in writing by the owner) -----------------------------------


def _sharing_prepare(world: dict[str, Any]) -> dict[str, Any]:
    from ioc.accounts.models import User
    from ioc.agencies.models import Agency
    from ioc.sharing.testing import facilities_schema, shared_dataset

    owner = Agency.objects.get(pk=world["agency_a"])
    admin, officer = User.objects.get(username="persona-admin"), User.objects.get(username="persona-officer-a")
    shared_dataset(actor=admin, owner=owner, officer=officer, code=SHARING_DATASET)
    fields = [f["name"] for f in facilities_schema()["fields"]][:2]
    return {
        "sharing_fields": fields,
        "sharing_requester": session_for("persona-officer-b"),
        "sharing_owner": session_for("persona-officer-a"),
    }


_PENDING: set[int] = set()  # requests acknowledged but not yet refused (a kill between the two posts)
_PENDING_LOCK = threading.Lock()


def _refuse(target: Target, pk: int, marker: str) -> bool:
    form = {"reasons": f"Chưa đủ căn cứ {marker}", "legal_basis": "Điều 9 Nghị định 47/2020/NĐ-CP"}
    path = f"/chia-se/yeu-cau/{pk}/tu-choi/"
    return _created_pk(page_call(target, "POST", path, target.world["sharing_owner"], form), r"/yeu-cau/(\d+)/") == pk


def _sharing_send(target: Target, n: int) -> Expect | None:
    with _PENDING_LOCK:
        stale = sorted(_PENDING)
    for stale_pk in stale:  # an earlier request left pending blocks the next one: refuse it first
        if _refuse(target, stale_pk, "[tải trước]"):
            with _PENDING_LOCK:
                _PENDING.discard(stale_pk)
    marker = f"[tải {n}]"
    form = {"columns": target.world["sharing_fields"], "purpose": f"Phục vụ điều hành {marker}"}
    answer = page_call(target, "POST", f"/chia-se/de-nghi/{SHARING_DATASET}/", target.world["sharing_requester"], form)
    pk = _created_pk(answer, r"/chia-se/yeu-cau/(\d+)/")
    if pk is None:
        return None
    refused = _refuse(target, pk, marker)
    if not refused:
        with _PENDING_LOCK:
            _PENDING.add(pk)
    return Expect("sharing.request", str(pk), {"marker": marker, "fields": form["columns"], "refused": refused})


def _sharing_check(expect: Expect) -> str:
    from ioc.sharing.models import AccessRequest

    found = AccessRequest.objects.filter(pk=int(expect.key)).first()
    if found is None:
        return "no access request"
    if not found.purpose.endswith(expect.row["marker"]) or found.fields != expect.row["fields"]:
        return f"access request incomplete: {found.purpose!r} {found.fields}"
    if expect.row["refused"] and (found.status != "refused" or expect.row["marker"] not in found.refusal_reasons):
        return f"refusal not stored: {found.status} {found.refusal_reasons!r}"
    return ""


register(
    Domain(
        name="sharing",
        prepare=_sharing_prepare,
        writes=(WritePath("sharing.request", 1, _sharing_send),),
        check=_sharing_check,
        doubled=lambda expect: _extra_rows("sharing.AccessRequest", purpose__endswith=expect.row["marker"]),
        public=(),  # nothing anonymous
    )
)


# --- reporting (a monthly draft, then issued) -------------------------------------------------------------------------


def _reporting_prepare(world: dict[str, Any]) -> dict[str, Any]:
    return {"reporting_author": session_for("persona-operator")}


def _report_period(n: int) -> str:
    year, month = divmod(n, 12)
    return f"{2000 + year:04d}{month + 1:02d}"


def _report_send(target: Target, n: int) -> Expect | None:
    author, period = target.world["reporting_author"], _report_period(n)
    form = {"template": REPORT_TEMPLATE, "period": period, "scope_kind": "territory", "unit": ""}
    pk = _created_pk(page_call(target, "POST", "/bao-cao/lap/", author, form), r"/bao-cao/(\d+)/")
    if pk is None:
        return None
    number = f"TAI-{n}"
    issued = page_call(target, "POST", f"/bao-cao/{pk}/ban-hanh/", author, {"number": number})
    page = page_call(target, "GET", f"/bao-cao/{pk}/", author) if issued is not None and issued[0] == 302 else None
    acknowledged = page is not None and page[0] == 200 and number in page[2]  # the issue page redirects either way
    return Expect("reporting.report", str(pk), {"period": period, "number": number if acknowledged else ""})


def _report_check(expect: Expect) -> str:
    from ioc.reporting.models import Report

    report = Report.objects.select_related("template").filter(pk=int(expect.key)).first()
    if report is None:
        return "no report"
    if (report.template.code, report.period, bool(report.content)) != (REPORT_TEMPLATE, expect.row["period"], True):
        return f"report incomplete: {report.template.code} {report.period}"
    number = expect.row["number"]
    if number and (report.state != "issued" or report.number != number or not report.document_sha256):
        return f"issue not stored: {report.state} {report.number!r}"
    return ""


register(
    Domain(
        name="reporting",
        prepare=_reporting_prepare,
        writes=(WritePath("reporting.report", 1, _report_send),),
        check=_report_check,
        doubled=lambda expect: _extra_rows(
            "reporting.Report", template__code=REPORT_TEMPLATE, period=expect.row["period"]
        ),
        public=(),  # reports are read by staff only
    )
)


# The indicators' recurring call rules (a page write too) live in a module of their own.
from bench.load import indicator_rules  # noqa: E402, F401
