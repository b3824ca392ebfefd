"""Pages of the data hub under /kho-du-lieu/ (R1.1, R1.2c, R1.4, R1.5)."""

from django.urls import URLPattern, URLResolver

from ioc.accounts.choices import STAFF_ROLES, Role
from ioc.common.access import object_scoped, roles, route
from ioc.datahub import views

app_name = "datahub"

STAFF = roles(*STAFF_ROLES)
DATASET = object_scoped(
    *STAFF_ROLES, note="dataset_get: published datasets for every staff account, drafts for the owner and the IOC"
)
UPLOAD = object_scoped(
    Role.AGENCY_OFFICER,
    Role.AGENCY_HEAD,
    note="dataset_get (404), then submission_ingest: an account of the submitting agency (403)",
)
CATALOG_ROLES = (Role.SYSTEM_ADMIN, Role.IOC_OPERATOR, Role.IOC_LEADER)
CATALOG = object_scoped(
    *CATALOG_ROLES, note="dataset_get (404), then obligation_set / dataset_update / dataset_publish"
)
CONNECTOR = object_scoped(
    Role.SYSTEM_ADMIN, note="dataset_get (404), then connector_set / connector_run_now: administrators only"
)
SUBMISSION = object_scoped(
    *STAFF_ROLES, note="submission_get: the submitting agency, the dataset's owner and the territory roles (404)"
)

JOB = object_scoped(
    *STAFF_ROLES, note="ingest_job_get: the submitting agency, the dataset's owner and the territory roles (404)"
)

urlpatterns: list[URLPattern | URLResolver] = [
    route("", views.index, policy=STAFF, name="index"),
    route("cau-truc/them/", views.dataset_create, policy=roles(*CATALOG_ROLES), name="dataset_create"),
    route("bo-du-lieu/<slug:dataset>/", views.dataset_detail, policy=DATASET, name="dataset_detail"),
    route("bo-du-lieu/<slug:dataset>/cau-truc/", views.dataset_edit, policy=CATALOG, name="dataset_edit"),
    route("bo-du-lieu/<slug:dataset>/cong-bo/", views.dataset_publish, policy=CATALOG, name="dataset_publish"),
    route("bo-du-lieu/<slug:dataset>/mau.<str:fmt>", views.template_download, policy=DATASET, name="template"),
    route("bo-du-lieu/<slug:dataset>/tai-len/", views.upload, policy=UPLOAD, name="upload"),
    route("bo-du-lieu/<slug:dataset>/nhap/", views.entry, policy=UPLOAD, name="entry"),
    route("bo-du-lieu/<slug:dataset>/nghia-vu/", views.obligation_edit, policy=CATALOG, name="obligation_edit"),
    route("bo-du-lieu/<slug:dataset>/ket-noi/", views.connector_edit, policy=CONNECTOR, name="connector_edit"),
    route("bo-du-lieu/<slug:dataset>/ket-noi/chay/", views.connector_run, policy=CONNECTOR, name="connector_run"),
    route("ket-noi/", views.connectors, policy=roles(Role.SYSTEM_ADMIN), name="connectors"),
    route("nghia-vu/", views.owed, policy=STAFF, name="owed"),
    route("tuan-thu/", views.compliance, policy=STAFF, name="compliance"),
    route("lan-gui/", views.submission_list, policy=STAFF, name="submissions"),
    route("lan-gui/<int:pk>/", views.submission_detail, policy=SUBMISSION, name="submission_detail"),
    route("lan-gui/viec/<int:pk>/", views.job_detail, policy=JOB, name="job_detail"),
    route("lan-gui/<int:pk>/loi.csv", views.submission_errors_csv, policy=SUBMISSION, name="submission_errors"),
    route("lan-gui/<int:pk>/bang-loi/", views.submission_sheet, policy=SUBMISSION, name="submission_sheet"),
]
