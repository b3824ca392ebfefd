"""Photos sent with a POST request (R3.1): multipart `media` files (the Bloomington/Helsinki extension, as
FixMyStreet sends them) and the spec's `media_url` (fetched once through the guarded outbound client).
Each is validated and re-encoded by `image_clean` (no metadata, ≤ 1,600 px); a refusal names the argument."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from ioc.citizen_reports.open311.params import ParamError
from ioc.common import http
from ioc.common.images import DEFAULT_MAX_BYTES, CleanImage, image_clean

MEDIA_FIELDS = ("media", "media[]")


def _message(exc: ValidationError) -> str:
    return "; ".join(exc.messages)


def _fetch(url: str) -> CleanImage:
    limit = int(getattr(settings, "IOC_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))
    timeout = float(getattr(settings, "OPEN311_MEDIA_TIMEOUT_SECONDS", 10))
    try:
        response = http.get(url, timeout=timeout, max_bytes=limit, headers={"Accept": "image/*"})
    except http.OutboundError as exc:
        raise ParamError("media_url", _("Không tải được ảnh / Cannot fetch the photo") + f" ({exc})") from None
    if not response.ok:
        raise ParamError("media_url", _("Không tải được ảnh / Cannot fetch the photo") + f" (HTTP {response.status})")
    try:
        return image_clean(response.body, filename=url.split("?", 1)[0])
    except ValidationError as exc:
        raise ParamError("media_url", _message(exc)) from None


def media_from_request(
    data: QueryDict, files: MultiValueDict[str, UploadedFile[Any]], *, limit: int
) -> list[CleanImage]:
    """Every photo of the POST, cleaned; at most `limit` in all."""
    uploads = [upload for name in MEDIA_FIELDS for upload in files.getlist(name)]
    urls = [url.strip() for url in data.getlist("media_url") if url.strip()]
    if len(uploads) + len(urls) > limit:
        raise ParamError("media", _("Tối đa %(max)d ảnh / At most %(max)d photos") % {"max": limit})
    photos: list[CleanImage] = []
    for upload in uploads:
        try:
            photos.append(image_clean(upload))
        except ValidationError as exc:
            raise ParamError("media", _message(exc)) from None
    photos.extend(_fetch(url) for url in urls)
    return photos
