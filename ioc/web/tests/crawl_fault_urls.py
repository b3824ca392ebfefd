"""A throwaway URL map for test_crawl_faults.py only: one page per fault kind the crawl must catch, each
otherwise clean (lang, title, skip link, main landmark). Never included in config/urls.py."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern

from ioc.common.access import PUBLIC, route

PAGE = """<!doctype html><html{lang}><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Trang thử</title>
<link rel="icon" href="data:,"></head>
<body><a href="#main">Bỏ qua điều hướng</a><main id="main"><h1>Trang thử</h1>{body}</main></body></html>"""

FAULTS = {
    "clean": "<p>Không có lỗi.</p>",
    "broken_image": '<img src="/static/web/khong-co-anh.png" alt="Ảnh hỏng">',
    "console_error": '<script src="/loi.js"></script>',
    "overflow": '<div style="width: 900px">Một khối rộng hơn màn hình điện thoại</div>',
    "clipped": '<div style="width: 60px; overflow: hidden; white-space: nowrap">Nhãn dài bị cắt mất chữ</div>',
    "unlabeled_input": '<form><input type="text" name="q"><button type="submit">Tìm</button></form>',
    "no_lang": "<p>Trang không khai báo ngôn ngữ.</p>",
    "no_focus_ring": '<a href="#main" style="outline: none">Liên kết không thấy khi chọn bằng bàn phím</a>',
    "wrong_language": (
        "<p>Nhãn tiếng Việt cố định trong khung trang.</p></main><footer><a href='#main'>Đăng nhập</a></footer><main>"
    ),
}


def _page(name: str) -> object:
    def view(request: HttpRequest, **kwargs: object) -> HttpResponse:
        return HttpResponse(PAGE.format(lang="" if name == "no_lang" else ' lang="vi"', body=FAULTS[name]))

    return view


def console_error_script(request: HttpRequest) -> HttpResponse:
    return HttpResponse('console.error("lỗi cài sẵn");', content_type="text/javascript")


urlpatterns: list[URLPattern] = [
    *(route(f"{name}/", _page(name), policy=PUBLIC, name=name) for name in FAULTS),  # type: ignore[arg-type]
    route("loi.js", console_error_script, policy=PUBLIC, name="console_error_script"),
    route("thieu-tham-so/<int:mystery_pk>/", _page("clean"), policy=PUBLIC, name="needs_param"),  # type: ignore[arg-type]
]
