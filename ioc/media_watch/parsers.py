"""What collectors fetched, read into item drafts (R5.7, issue 22 item 1). Pure functions over bytes: no
fetching here (`services/collect.py` fetches through `ioc.common.http`). Every refusal is a `ParseError` with a
reason an administrator can act on: not XML, truncated, entity declarations (expansion attacks), no rows."""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import email.utils
import io
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

import feedparser
from django.utils.translation import gettext as _
from lxml import etree
from lxml import html as lxml_html

from ioc.media_watch.text import strip_markup

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_VN_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:\D+(\d{1,2})[:h](\d{2}))?")
EXPORT_COLUMNS = ("url", "published_at", "author", "title", "text")


class ParseError(ValueError):
    """The fetched document cannot be read; the run is recorded as failed with this reason."""


@dataclass(frozen=True)
class ItemDraft:
    """One item as a collector read it; `published_at` None means the source gave no date."""

    title: str
    body: str = ""
    url: str = ""
    guid: str = ""
    author: str = ""
    published_at: dt.datetime | None = None


def _refuse_entities(body: bytes) -> None:
    if _ENTITY_DECLARATION.search(body):
        raise ParseError(
            _("Tài liệu khai báo thực thể XML (<!ENTITY>): bị từ chối để tránh tấn công mở rộng thực thể.")
        )


def parse_time(value: str) -> dt.datetime | None:
    """ISO 8601, RFC 822 or the Vietnamese "dd/mm/yyyy HH:MM"; a time without zone is Vietnam's."""
    value = (value or "").strip()
    if not value:
        return None
    parsed: dt.datetime | None = None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            match = _VN_DATE.search(value)
            if match:
                day, month, year, hour, minute = (int(g) if g else 0 for g in match.groups())
                try:
                    parsed = dt.datetime(year, month, day, hour, minute, tzinfo=LOCAL)
                except ValueError:
                    return None
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=LOCAL)


# --- RSS 2.0 / Atom 1.0 -------------------------------------------------------------------------------------
def parse_feed(body: bytes, *, content_type: str = "") -> list[ItemDraft]:
    """R5.7: the entries of an RSS 2.0 or Atom 1.0 feed (any declared encoding, Windows-1258 included)."""
    _refuse_entities(body)
    headers = {"content-type": content_type} if content_type else {}
    parsed = feedparser.parse(body, response_headers=headers)
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if problem is not None and not isinstance(problem, feedparser.CharacterEncodingOverride):
        raise ParseError(_("Nguồn tin không phải XML hợp lệ hoặc bị cắt cụt: %(error)s") % {"error": problem})
    if not parsed.get("version"):
        raise ParseError(_("Không nhận ra định dạng RSS hay Atom (XML) của nguồn tin."))
    return [_feed_entry(entry) for entry in parsed.entries]


def _feed_entry(entry: Any) -> ItemDraft:
    content = entry.get("content") or []
    body = content[0].get("value", "") if content else entry.get("summary", "")
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    published = dt.datetime.fromtimestamp(calendar.timegm(stamp), tz=dt.UTC) if stamp else None
    return ItemDraft(
        title=strip_markup(entry.get("title", "")),
        body=strip_markup(body),
        url=entry.get("link", ""),
        guid=entry.get("id", "") or entry.get("link", ""),
        author=entry.get("author", ""),
        published_at=published,
    )


# --- sitemap + article pages --------------------------------------------------------------------------------
def parse_sitemap(body: bytes, *, base_url: str) -> list[tuple[str, dt.datetime | None]]:
    """R5.7: the article URLs of a sitemap (`urlset`) on the sitemap's own host, newest first."""
    _refuse_entities(body)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise ParseError(_("Sơ đồ trang không phải XML hợp lệ: %(error)s") % {"error": exc}) from exc
    if etree.QName(root).localname != "urlset":
        raise ParseError(_("Sơ đồ trang phải là một <urlset> (chỉ mục sơ đồ trang chưa được hỗ trợ)."))
    host = urlsplit(base_url).netloc
    found: list[tuple[str, dt.datetime | None]] = []
    for url in root:
        fields = {etree.QName(child).localname: (child.text or "").strip() for child in url}
        loc = urljoin(base_url, fields.get("loc", ""))
        if loc and urlsplit(loc).netloc == host:
            found.append((loc, parse_time(fields.get("lastmod", ""))))
    return sorted(found, key=lambda pair: pair[1] or dt.datetime.min.replace(tzinfo=dt.UTC), reverse=True)


def _select(root: Any, selector: str) -> list[Any]:
    if selector.startswith("xpath:"):
        result = root.xpath(selector[len("xpath:") :])
        return list(result) if isinstance(result, list) else [result]
    return list(root.cssselect(selector))


def _selected_text(root: Any, selector: str, *, attribute: str = "") -> str:
    if not selector:
        return ""
    try:
        nodes = _select(root, selector)
    except (etree.XPathError, ValueError, SyntaxError) as exc:
        raise ParseError(
            _("Bộ chọn “%(selector)s” không hợp lệ: %(error)s") % {"selector": selector, "error": exc}
        ) from exc
    parts = []
    for node in nodes:
        if isinstance(node, str):
            parts.append(node)
        elif attribute and node.get(attribute):
            parts.append(node.get(attribute))
        else:
            parts.append(node.text_content())
    return " ".join(part.strip() for part in parts if part and part.strip())


_CHARSET = re.compile(rb"""charset=["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def decode_html(body: bytes, *, content_type: str = "") -> str:
    """A page's text: the charset of the Content-Type header, else of its <meta>, else UTF-8."""
    found = _CHARSET.search(content_type.encode("latin-1", "replace")) or _CHARSET.search(body[:4096])
    charset = found.group(1).decode("ascii") if found else "utf-8"
    try:
        return body.decode(charset, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def parse_article(body: bytes, *, url: str, selectors: dict[str, str], content_type: str = "") -> ItemDraft:
    """R5.7: an article page read with the site's selectors (CSS, or XPath after "xpath:"): title, body, time
    (its `datetime` attribute when present), author."""
    try:
        root = lxml_html.document_fromstring(decode_html(body, content_type=content_type))
    except (etree.ParserError, ValueError) as exc:
        raise ParseError(_("Trang bài không đọc được: %(error)s") % {"error": exc}) from exc
    for dropped in list(root.iter("script", "style", "noscript")):
        if isinstance(dropped, lxml_html.HtmlElement):
            dropped.drop_tree()
    title = _selected_text(root, selectors.get("title", "h1"))
    if not title:
        raise ParseError(_("Trang %(url)s không có tiêu đề theo bộ chọn.") % {"url": url})
    return ItemDraft(
        title=title,
        body=_selected_text(root, selectors.get("body", "article")),
        url=url,
        guid=url,
        author=_selected_text(root, selectors.get("author", "")),
        published_at=parse_time(_selected_text(root, selectors.get("time", ""), attribute="datetime")),
    )


# --- a platform's official API, uploaded exports ------------------------------------------------------------
YOUTUBE_WATCH = "https://www.youtube.com/watch?v="
X_STATUS = "https://x.com/{user}/status/{id}"


def _json(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ParseError(_("Phản hồi của nền tảng không phải JSON: %(error)s") % {"error": exc}) from exc


def parse_platform(body: bytes, *, shape: str = "graph") -> list[ItemDraft]:
    """R5.7, R3.1: posts in the documented shape of the platform's official API — "graph": a page feed of the Graph
    API, `{"data": [{"id", "message", "created_time", "permalink_url", "from": {"name"}}], "paging": {…}}`;
    "youtube": YouTube Data API v3 (`search`, `videos` or `commentThreads` list responses); "x": X API v2 posts
    (`{"data": [tweets], "includes": {"users": […]}, "meta": {…}}`). A response of another shape, or with one entry
    lacking what an item needs, is refused whole with the reason (nothing of it stored)."""
    document = _json(body)
    if shape == "youtube":
        return _youtube(document)
    if shape == "x":
        return _x_posts(document)
    posts = document.get("data") if isinstance(document, dict) else None
    if not isinstance(posts, list):
        raise ParseError(_("Phản hồi của nền tảng không có danh sách “data”."))
    return [_platform_post(post) for post in posts if isinstance(post, dict) and post.get("message")]


def _platform_post(post: dict[str, Any]) -> ItemDraft:
    message = str(post.get("message", ""))
    author = post.get("from") if isinstance(post.get("from"), dict) else {}
    return ItemDraft(
        title=_first_line(message),
        body=message,
        url=str(post.get("permalink_url", "")),
        guid=str(post.get("id", "")),
        author=str((author or {}).get("name", "")),
        published_at=parse_time(str(post.get("created_time", ""))),
    )


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0][:200] if text.strip() else ""


def _text(entry: dict[str, Any], key: str) -> str:
    value = entry.get(key)
    return value.strip() if isinstance(value, str) else ""


def _refuse_entry(number: int, field: str) -> ParseError:
    return ParseError(
        _("Mục thứ %(number)d của phản hồi thiếu hoặc sai trường “%(field)s”: không lưu tin nào của lần này.")
        % {"number": number, "field": field}
    )


# YouTube Data API v3: https://developers.google.com/youtube/v3/docs (search.list, videos.list, commentThreads.list)
_YOUTUBE_LISTS = ("youtube#searchListResponse", "youtube#videoListResponse", "youtube#commentThreadListResponse")


def _youtube(document: Any) -> list[ItemDraft]:
    if not isinstance(document, dict) or document.get("kind") not in _YOUTUBE_LISTS:
        raise ParseError(
            _("Phản hồi không phải danh sách của YouTube Data API v3 (kind: %(kinds)s).")
            % {"kinds": ", ".join(_YOUTUBE_LISTS)}
        )
    entries = document.get("items", [])
    if not isinstance(entries, list):
        raise ParseError(_("Phản hồi của YouTube có “items” không phải danh sách."))
    drafts = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("snippet"), dict):
            raise _refuse_entry(number, "snippet")
        draft = _youtube_entry(number, entry)
        if draft is not None:
            drafts.append(draft)
    return drafts


def _youtube_entry(number: int, entry: dict[str, Any]) -> ItemDraft | None:
    """A video (a search result or a video resource) or a comment thread's top comment; a channel or playlist
    found by a search is not an item (None)."""
    snippet = entry["snippet"]
    if entry.get("kind") == "youtube#commentThread":
        top = snippet.get("topLevelComment")
        if not isinstance(top, dict) or not isinstance(top.get("snippet"), dict) or not isinstance(top.get("id"), str):
            raise _refuse_entry(number, "snippet.topLevelComment")
        comment = top["snippet"]
        video = _text(comment, "videoId") or _text(snippet, "videoId")
        text = _text(comment, "textOriginal") or strip_markup(_text(comment, "textDisplay"))
        if not video or not text:
            raise _refuse_entry(number, "snippet.topLevelComment.snippet.videoId / textOriginal")
        return ItemDraft(
            title=_first_line(text),
            body=text,
            url=f"{YOUTUBE_WATCH}{video}&lc={top['id']}",
            guid=f"yt-comment:{top['id']}",
            author=_text(comment, "authorDisplayName"),
            published_at=parse_time(_text(comment, "publishedAt")),
        )
    found = entry.get("id")
    if isinstance(found, dict):  # a search result: {"kind": "youtube#video", "videoId": …}
        if found.get("kind") != "youtube#video":
            return None
        found = found.get("videoId")
    title = _text(snippet, "title")
    if not isinstance(found, str) or not found or not title:
        raise _refuse_entry(number, "id / snippet.title")
    return ItemDraft(
        title=title[:200],
        body=_text(snippet, "description"),
        url=f"{YOUTUBE_WATCH}{found}",
        guid=f"yt-video:{found}",
        author=_text(snippet, "channelTitle"),
        published_at=parse_time(_text(snippet, "publishedAt")),
    )


# X API v2: https://docs.x.com/x-api/posts (GET /2/tweets/search/recent with expansions=author_id).
def _x_posts(document: Any) -> list[ItemDraft]:
    if not isinstance(document, dict):
        raise ParseError(_("Phản hồi không theo dạng của X API v2 (cần “data” hoặc “meta”)."))
    errors = document.get("errors")
    if "data" not in document and isinstance(errors, list) and errors:  # no post, only errors: the API's reason
        first = errors[0]
        detail = (first.get("detail") or first.get("title")) if isinstance(first, dict) else first
        raise ParseError(_("X API v2 báo lỗi: %(detail)s") % {"detail": str(detail)[:300]})
    if "data" not in document and "meta" not in document:
        raise ParseError(_("Phản hồi không theo dạng của X API v2 (cần “data” hoặc “meta”)."))
    if "data" not in document:
        return []  # {"meta": {"result_count": 0}}: nothing new
    posts = document["data"]
    if not isinstance(posts, list):
        raise ParseError(_("Phản hồi của X API v2 có “data” không phải danh sách."))
    includes = document.get("includes") if isinstance(document.get("includes"), dict) else {}
    users = {
        str(user.get("id")): user
        for user in (includes or {}).get("users", [])
        if isinstance(user, dict) and user.get("id") is not None
    }
    drafts = []
    for number, post in enumerate(posts, start=1):
        if not isinstance(post, dict) or not isinstance(post.get("id"), str) or not post["id"].isdigit():
            raise _refuse_entry(number, "id")
        note = post.get("note_tweet")  # a long post's whole text
        text = _text(note, "text") if isinstance(note, dict) else ""
        text = text or _text(post, "text")
        if not text:
            raise _refuse_entry(number, "text")
        user = users.get(str(post.get("author_id", "")), {})
        handle = _text(user, "username")
        drafts.append(
            ItemDraft(
                title=_first_line(text),
                body=text,
                url=X_STATUS.format(user=handle or "i/web", id=post["id"]),
                guid=f"x:{post['id']}",
                author=_text(user, "name") or handle,
                published_at=parse_time(_text(post, "created_at")),
            )
        )
    return drafts


def parse_export(body: bytes, *, file_name: str) -> list[ItemDraft]:
    """R5.7: an uploaded export: the platform's JSON shape, or CSV with the columns url, published_at, author,
    title, text (UTF-8)."""
    if file_name.lower().endswith(".json"):
        return parse_platform(body)
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(_("Tệp CSV phải mã hoá UTF-8.")) from exc
    reader = csv.DictReader(io.StringIO(text))
    missing = [column for column in EXPORT_COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise ParseError(_("Tệp CSV thiếu cột: %(columns)s") % {"columns": ", ".join(missing)})
    drafts = []
    for row in reader:
        title = (row.get("title") or "").strip() or (row.get("text") or "").strip()[:200]
        drafts.append(
            ItemDraft(
                title=title,
                body=row.get("text") or "",
                url=(row.get("url") or "").strip(),
                guid=(row.get("url") or "").strip(),
                author=(row.get("author") or "").strip(),
                published_at=parse_time(row.get("published_at") or ""),
            )
        )
    return drafts
