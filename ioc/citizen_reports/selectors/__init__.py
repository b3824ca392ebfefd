"""Every read of citizen reports (R3.1–R3.5, R7.1, R7.5), with the user's scope applied.

IOC roles see every report; agency officers and heads see the reports their agency (or a child) holds;
everyone else sees none. Public reads (`public_*`, `report_by_tracking_code`) return public fields only and
never a report marked spam in lists; free text shown to the public goes through `privacy.mask_contacts`.

One module per audience or step, every name re-exported here (`from ioc.citizen_reports import selectors`):
`staff` (scoped lists and details, the reporter's contact, the mailbox, the operators' queue), `public` (the
citizens' and Open311's reads), `duplicates` (candidates of a report), `maps` (DESIGN "Map hooks" and the work
items `ioc.web.selectors` collects), `config` (categories and routing rules), `surges` (reports piling up in
a commune, for the surge alert); `_base` holds what they share (scope, filters).
"""

from ioc.citizen_reports.selectors._base import UNIT_GEOMETRY, normalize_code
from ioc.citizen_reports.selectors.config import (
    CATEGORIES,
    category_by_pk,
    category_get,
    category_list,
    routing_rule_get,
    routing_rule_list,
)
from ioc.citizen_reports.selectors.duplicates import DUPLICATES_MAX, DuplicateCandidate, report_duplicate_candidates
from ioc.citizen_reports.selectors.maps import (
    FEATURES_MAX,
    WORK_ITEMS_PER_KIND,
    WorkItem,
    citizen_reports_counts_in_area,
    citizen_reports_features,
    citizen_reports_map_version,
    citizen_reports_work_items,
    staff_url,
)
from ioc.citizen_reports.selectors.public import (
    PUBLIC_DEFER,
    public_first_photos,
    public_photo_get,
    public_photo_queryset,
    public_report_page_ids,
    public_report_rows,
    public_reports,
    public_text,
    report_by_tracking_code,
    report_private_token_valid,
    report_public_events,
    report_public_photos,
)
from ioc.citizen_reports.selectors.search import report_search
from ioc.citizen_reports.selectors.staff import (
    QUEUE_STATUSES,
    ContactView,
    intake_items_new,
    queue_buckets,
    queue_counts,
    report_contact_for,
    report_duplicates,
    report_events,
    report_get_for,
    report_list_for,
    report_photo_get_for,
    report_photos,
    reports_by_reporter_phone,
)
from ioc.citizen_reports.selectors.surges import Surge, report_surges

__all__ = [
    "CATEGORIES",
    "DUPLICATES_MAX",
    "FEATURES_MAX",
    "PUBLIC_DEFER",
    "QUEUE_STATUSES",
    "UNIT_GEOMETRY",
    "WORK_ITEMS_PER_KIND",
    "ContactView",
    "DuplicateCandidate",
    "Surge",
    "WorkItem",
    "category_by_pk",
    "category_get",
    "category_list",
    "citizen_reports_counts_in_area",
    "citizen_reports_features",
    "citizen_reports_map_version",
    "citizen_reports_work_items",
    "intake_items_new",
    "normalize_code",
    "public_first_photos",
    "public_photo_get",
    "public_photo_queryset",
    "public_report_page_ids",
    "public_report_rows",
    "public_reports",
    "public_text",
    "queue_buckets",
    "queue_counts",
    "report_by_tracking_code",
    "report_contact_for",
    "report_duplicate_candidates",
    "report_duplicates",
    "report_events",
    "report_get_for",
    "report_list_for",
    "report_photo_get_for",
    "report_photos",
    "report_private_token_valid",
    "report_public_events",
    "report_public_photos",
    "report_search",
    "report_surges",
    "reports_by_reporter_phone",
    "routing_rule_get",
    "routing_rule_list",
    "staff_url",
]
