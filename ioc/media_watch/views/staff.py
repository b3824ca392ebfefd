"""R5.7: the watch's pages — the live feed with its filters and hot topics, a topic's page (its trend against its
baseline, ECharts), and the watch lists granted to the user (each list shown is a personal-data read, audited by
the selector). Thin: parse, select, render."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ioc.common.authed import AuthedRequest
from ioc.media_watch.forms.staff import FeedFilter, TrendFilter
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
