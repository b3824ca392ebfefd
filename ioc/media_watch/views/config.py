"""R5.7: the watch's configuration under "Quản trị" (/theo-doi-mang/cau-hinh/): sources, topics (a query previewed
over the last 30 days before it is saved), watch lists with their entities and who may see them. Thin: parse, call
one service or selector, render; a service's refusal goes on the form (400) and nothing is written."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ioc.common.authed import AuthedRequest
from ioc.common.forms import add_service_errors
from ioc.media_watch import services
from ioc.media_watch.forms.config import EntityForm, ExportUploadForm, SourceForm, TopicForm, WatchListForm
from ioc.media_watch.models import Source, Topic, WatchEntity, WatchList
from ioc.media_watch.query import QueryError
from ioc.media_watch.selectors import config, topics, watch

FORM = "media_watch/config/form.html"


def _found(value: Any) -> Any:
    if value is None:
        raise Http404(_("Không tìm thấy / Not found"))
    return value


@require_safe
def index(request: AuthedRequest) -> HttpResponse:
    """R5.7: every source, topic and watch list (retired ones apart); watch lists by name and size only."""
    context = {"sources": config.sources_all(), "topics": config.topics_all(), "lists": config.watchlists_all()}
    return render(request, "media_watch/config/index.html", context)


def _render(request: AuthedRequest, context: dict[str, Any]) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    return render(request, FORM, context, status=status)


def source_create(request: AuthedRequest) -> HttpResponse:
    return _source_form(request, None)


def source_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    return _source_form(request, _found(config.source_get(pk=pk)))


def _source_form(request: AuthedRequest, source: Source | None, upload: ExportUploadForm | None = None) -> HttpResponse:
    initial: dict[str, Any] = {"interval_minutes": 30, "min_gap_seconds": 60, "is_active": True}
    if source is not None:
        initial = {
            "name": source.name,
            "kind": source.kind,
            "url": source.url,
            "selectors": json.dumps(source.selectors, ensure_ascii=False) if source.selectors else "",
            "interval_minutes": source.interval_minutes,
            "min_gap_seconds": source.min_gap_seconds,
            "is_active": source.is_active,
        }
    form = SourceForm(None if upload else request.POST or None, initial=initial)
    if upload is None and request.method == "POST" and form.is_valid():
        try:
            services.source_set(actor=request.user, values=form.settings(), source=source)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu nguồn / Source saved"))
            return redirect("media_watch:config")
    context = {
        "form": form,
        "object": source,
        "title": _("Nguồn tin") if source else _("Thêm nguồn tin"),
        "runs": config.source_runs(source=source) if source else [],
        "has_key": bool(source and source.api_key_sealed),
        "is_source": True,
        "upload_form": upload or ExportUploadForm(),
    }
    return _render(request, context)


@require_POST
def source_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    """R5.7: an administrator uploads a platform export for an export source; a refusal (wrong source kind,
    unreadable file, too big, no rows) is named on the file field (400) and nothing is stored."""
    source = _found(config.source_get(pk=pk))
    upload = ExportUploadForm(request.POST, request.FILES)
    if upload.is_valid():
        content, file_name = upload.content()
        try:
            run = services.export_upload(actor=request.user, source=source, content=content, file_name=file_name)
        except ValidationError as exc:
            add_service_errors(upload, exc, fields={"source": "file"})
        else:
            messages.success(
                request,
                _("Đã nhận tệp: %(new)d tin mới, %(merged)d tin gộp / File read: %(new)d new, %(merged)d merged")
                % {"new": run.items_new, "merged": run.items_merged},
            )
            return redirect("media_watch:source_edit", pk=source.pk)
    return _source_form(request, source, upload)


@require_POST
def source_run(request: AuthedRequest, pk: int) -> HttpResponse:
    """R5.7: collect this source at the next sweep (its rate limit still holds)."""
    services.source_run_now(actor=request.user, source=_found(config.source_get(pk=pk)))
    messages.success(request, _("Sẽ thu thập ở lượt tới / Collected at the next sweep"))
    return redirect("media_watch:source_edit", pk=pk)


def topic_create(request: AuthedRequest) -> HttpResponse:
    return _topic_form(request, None)


def topic_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    return _topic_form(request, _found(config.topic_get(pk=pk)))


def _topic_form(request: AuthedRequest, topic: Topic | None) -> HttpResponse:
    """R5.7: "Xem trước" runs the query over the last 30 days and saves nothing; "Lưu" saves through `topic_set`.
    A query that does not parse is named on the field with its position."""
    initial: dict[str, Any] = {"min_hourly": 5, "is_active": True}
    if topic is not None:
        initial = {
            "name": topic.name,
            "query": topic.query,
            "min_hourly": topic.min_hourly,
            "is_active": topic.is_active,
        }
    form = TopicForm(request.POST or None, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("action") == "preview":
            try:
                preview = topics.query_preview(user=request.user, query=data["query"])
            except QueryError as exc:
                form.add_error("query", str(exc))
            else:
                return render(request, FORM, {"form": form, "object": topic, "preview": preview, "title": _("Chủ đề")})
        else:
            try:
                services.topic_set(
                    actor=request.user,
                    name=data["name"],
                    query=data["query"],
                    min_hourly=data["min_hourly"],
                    is_active=data["is_active"],
                    topic=topic,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Đã lưu chủ đề / Topic saved"))
                return redirect("media_watch:config")
    title = _("Chủ đề") if topic else _("Thêm chủ đề")
    return _render(request, {"form": form, "object": topic, "title": title, "topic_form": True})


def watchlist_create(request: AuthedRequest) -> HttpResponse:
    return _watchlist_form(request, None)


def watchlist_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """R5.7: the list, its entities (a personal-data read, audited) and who may see it."""
    return _watchlist_form(request, _found(watch.watchlist_config_open(user=request.user, pk=pk)))


def _watchlist_form(request: AuthedRequest, watch_list: WatchList | None) -> HttpResponse:
    initial: dict[str, Any] = {"retention_days": 180, "is_active": True}
    if watch_list is not None:
        initial = {
            "name": watch_list.name,
            "purpose": watch_list.purpose,
            "retention_days": watch_list.retention_days,
            "is_active": watch_list.is_active,
            "viewers": list(watch_list.viewers.all()),
        }
    form = WatchListForm(request.POST or None, initial=initial, users=config.grantable_users())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():  # the list and its viewers together, or neither
                saved = services.watchlist_set(
                    actor=request.user,
                    name=data["name"],
                    purpose=data["purpose"],
                    retention_days=data["retention_days"],
                    is_active=data["is_active"],
                    watch_list=watch_list,
                )
                services.watchlist_viewers_set(actor=request.user, watch_list=saved, viewers=list(data["viewers"]))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu danh sách / Watch list saved"))
            return redirect("media_watch:watchlist_edit", pk=saved.pk)
    context = {
        "form": form,
        "object": watch_list,
        "title": _("Danh sách theo dõi") if watch_list else _("Thêm danh sách theo dõi"),
        "entities": list(watch_list.entities.all()) if watch_list else [],
        "personal": True,
    }
    return _render(request, context)


def entity_create(request: AuthedRequest, pk: int) -> HttpResponse:
    watch_list = _found(config.watchlist_get(pk=pk))
    return _entity_form(request, watch_list, None)


def entity_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """R5.7: one entry of a watch list (its names are personal data: the read is audited)."""
    entity = _found(config.entity_get(pk=pk))
    watch.watchlist_config_open(user=request.user, pk=entity.watch_list_id)
    return _entity_form(request, entity.watch_list, entity)


def _entity_form(request: AuthedRequest, watch_list: WatchList, entity: WatchEntity | None) -> HttpResponse:
    initial: dict[str, Any] = {"min_hourly": 3, "is_active": True}
    if entity is not None:
        initial = {
            "kind": entity.kind,
            "name": entity.name,
            "aliases": entity.aliases,
            "min_hourly": entity.min_hourly,
            "is_active": entity.is_active,
        }
    form = EntityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.watch_entity_set(actor=request.user, watch_list=watch_list, entity=entity, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu đối tượng / Entry saved"))
            return redirect("media_watch:watchlist_edit", pk=watch_list.pk)
    title = _("Đối tượng theo dõi") if entity else _("Thêm đối tượng theo dõi")
    context = {"form": form, "object": entity, "title": title, "watch_list": watch_list, "personal": True}
    return _render(request, context)
