"""Issue 19: `/favicon.ico` answers (a browser asks for it when a photo is opened on its own; a 404 lands in its
console) with a redirect to the IOC's SVG mark, which is served."""

import pytest


@pytest.mark.django_db
def test_favicon_ico_leads_to_the_svg_mark(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith(".svg") and "max-age=86400" in response["Cache-Control"]
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"<svg" in b"".join(icon.streaming_content if icon.streaming else [icon.content])
