"""R5.7: the watch's pages — the live feed with its filters and hot topics, a topic's page (its trend against its
baseline, ECharts), and the watch lists granted to the user (each list shown is a personal-data read, audited by
the selector). Thin: parse, select, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ioc.agencies.selectors import agency_list
from ioc.citizen_reports.selectors import category_list
from ioc.common.authed import AuthedRequest
from ioc.common.forms import add_service_errors
from ioc.media_watch import services
from ioc.media_watch.forms.staff import FeedFilter, ForwardForm, ToReportForm, TrendFilter
from ioc.media_watch.selectors import config, feed, topics, watch


@require_safe
def feed_page(request: AuthedRequest) -> HttpResponse:
    """R5.7: the newest items; bad filters are named on the form (400), nothing else changes."""
    form = FeedFilter(request.GET or None, topics=feed.topics_active())
    filters = form.cleaned_data if form.is_valid() else {}
    items = feed.items_feed(
        user=request.user,
        topic_id=filters.get("topic"),
        q=filters.get("q") or "",
        negative=bool(filters.get("negative")),
    )
    status = 400 if request.GET and not form.is_valid() else 200
    context = {"form": form, "items": items, "hot": feed.hot_now(user=request.user)}
    return render(request, "media_watch/feed.html", context, status=status)


@require_safe
def watchlists_page(request: AuthedRequest) -> HttpResponse:
    """R5.7: the watch lists an administrator granted to this user, with their entities and newest items."""
    lists = []
    for granted in watch.watchlists_granted(user=request.user):
        opened = watch.watchlist_open(user=request.user, pk=granted.pk, purpose="media_watch.watchlists_page")
        lists.append(
            {
                "list": opened,
                "entities": list(watch.watchlist_entities(watch_list=opened)),
                "items": list(watch.watchlist_items(watch_list=opened, limit=10)),
            }
        )
    return render(request, "media_watch/watchlists.html", {"lists": lists})


@require_safe
def topic_page(request: AuthedRequest, pk: int) -> HttpResponse:
    """R5.7: one topic — its counts per hour (7 days) or per day (90 days) beside the baseline, its newest items."""
    topic = config.topic_get(pk=pk)
    if topic is None:
        raise Http404(_("Không tìm thấy chủ đề / No such topic"))
    form = TrendFilter(request.GET or None)
    step = (form.cleaned_data.get("step") if form.is_valid() else "") or "hour"
    trend = topics.topic_trend(user=request.user, topic=topic, step=step)
    context = {
        "topic": topic,
        "form": form,
        "trend": trend.as_json(),
        "step": step,
        "total": sum(trend.counts),
        "items": topics.topic_items(user=request.user, topic=topic),
    }
    status = 400 if request.GET and not form.is_valid() else 200
    return render(request, "media_watch/topic.html", context, status=status)


def _item_or_404(request: AuthedRequest, pk: int) -> Any:
    item = feed.item_get(user=request.user, pk=pk)
    if item is None:
        raise Http404(_("Không tìm thấy tin / No such item"))
    return item


def _item_render(
    request: AuthedRequest, item: Any, *, report: Any = None, forward: Any = None, status: int = 200
) -> HttpResponse:
    context = {
        "item": item,
        "handlings": feed.item_handlings(item=item),
        "report_form": report or ToReportForm(categories=category_list()),
        "forward_form": forward or ForwardForm(agencies=agency_list()),
    }
    return render(request, "media_watch/item.html", context, status=status)


@require_safe
def item_page(request: AuthedRequest, pk: int) -> HttpResponse:
    """R5.7 (002:6.5): one item, what was done with it, and the two ways to hand it on."""
    return _item_render(request, _item_or_404(request, pk))


@require_POST
def item_to_report(request: AuthedRequest, pk: int) -> HttpResponse:
    """R3.1, R5.7: the complaint becomes a citizen report (channel "social") and follows its own flow."""
    item = _item_or_404(request, pk)
    form = ToReportForm(request.POST, categories=category_list())
    if form.is_valid():
        try:
            report = services.item_to_report(actor=request.user, item=item, category=form.cleaned_data["category"])
        except ValidationError as exc:
            add_service_errors(form, exc, fields={"item": None})
        else:
            messages.success(request, _("Đã tạo phản ánh %(code)s / Report created") % {"code": report.tracking_code})
            return redirect("media_watch:item", pk=item.pk)
    return _item_render(request, item, report=form, status=400)


@require_POST
def item_forward(request: AuthedRequest, pk: int) -> HttpResponse:
    """R5.7 (002:6.5): the item goes to an agency for an answer, with a deadline in working hours."""
    item = _item_or_404(request, pk)
    form = ForwardForm(request.POST, agencies=agency_list())
    if form.is_valid():
        try:
            services.item_forward(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc, fields={"item": None})
        else:
            messages.success(request, _("Đã chuyển cơ quan / Forwarded"))
            return redirect("media_watch:item", pk=item.pk)
    return _item_render(request, item, forward=form, status=400)
