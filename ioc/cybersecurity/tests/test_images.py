"""R5.6 (issue 21 "images that must never appear, by perceptual hash after image_clean"): the in-house dHash on
generated pictures (a recompressed, resized copy is the same image; another picture is not), and the defacement check
over a local site: the regions' images taken as the baseline, a recompressed one passing, a replaced one, a known
defacement image and a hostile image (a pixel bomb, a polyglot) each recorded with their reason, never an error."""

from __future__ import annotations

import io
import random

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase
from PIL import Image, ImageDraw

from ioc.cybersecurity import imagehash, services
from ioc.cybersecurity.models import Asset
from ioc.cybersecurity.tests.servers import Page
from ioc.cybersecurity.tests.test_checks import CheckTestBase

IMAGE_HEADERS = {"Content-Type": "image/jpeg"}


def picture(seed: int, size: tuple[int, int] = (320, 200)) -> Image.Image:
    """A banner-like picture: a gradient and a few shapes drawn from the seed."""
    rng = random.Random(seed)
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        box = (x, y, x + rng.randrange(30, 140), y + rng.randrange(20, 90))
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(box, fill=colour)
    return image


def jpeg(image: Image.Image, quality: int = 90) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def recompressed(image: Image.Image) -> bytes:
    """What a CMS does to the same picture: resized by 90 % and saved again at quality 30."""
    smaller = image.resize((image.width * 9 // 10, image.height * 9 // 10), Image.Resampling.BILINEAR)
    return jpeg(smaller, quality=30)


class DhashTest(SimpleTestCase):
    def test_a_recompressed_copy_is_the_same_and_another_picture_differs(self):
        limit = 10  # CYBER_IMAGE_HASH_DISTANCE's default
        for seed in range(5):
            original = imagehash.dhash_bytes(jpeg(picture(seed)), max_bytes=10**6)
            copy = imagehash.dhash_bytes(recompressed(picture(seed)), max_bytes=10**6)
            other = imagehash.dhash_bytes(jpeg(picture(seed + 100)), max_bytes=10**6)
            self.assertLessEqual(imagehash.distance(original, copy), 5, seed)
            self.assertGreater(imagehash.distance(original, other), 2 * limit, seed)
            self.assertRegex(original, imagehash.HEX)

    def test_hostile_bytes_are_refused_by_the_cleaner(self):
        bomb = io.BytesIO()
        Image.new("1", (8000, 6000)).save(bomb, "PNG")  # 48 MP in a few kB: over the 40 MP limit
        for data in (b"", b"<svg onload=alert(1)>", bomb.getvalue(), jpeg(picture(1)) + b"PK\x03\x04zip"):
            with self.assertRaises(ValidationError):
                imagehash.dhash_bytes(data, max_bytes=10**6)


class ImageDefacementTest(CheckTestBase):
    page = b"<html><body><div id='main'><img src='/logo.jpg'><img src='https://elsewhere.invalid/x.jpg'></div></body></html>"

    def site(self, logo: bytes) -> tuple[object, Asset]:
        server = self.web()
        server.pages["/"] = Page(body=self.page)
        server.pages["/logo.jpg"] = Page(body=logo, headers=IMAGE_HEADERS)
        return server, self.asset(server.url(), deface_selectors=["#main"])

    def test_the_baseline_is_taken_a_recompressed_image_passes_a_replaced_one_is_defacement(self):
        server, asset = self.site(jpeg(picture(1)))
        asset = self.check(asset)
        logo = server.url("/logo.jpg")
        self.assertEqual(list(asset.deface_images), [logo])  # another host's image is not the site's
        self.assertEqual(asset.problems, [], self.last(asset).reason)

        server.pages["/logo.jpg"] = Page(body=recompressed(picture(1)), headers=IMAGE_HEADERS)
        asset = self.check(asset)
        self.assertEqual(asset.problems, [], self.last(asset).reason)

        server.pages["/logo.jpg"] = Page(body=jpeg(picture(7)), headers=IMAGE_HEADERS)
        asset = self.check(asset)
        self.assertIn("defacement", asset.problems)
        self.assertIn(f"Image changed: {logo}", self.last(asset).reason)
        alert = self.alert(asset, "defacement")
        assert alert is not None
        self.assertIn("Image changed", alert.payload["reason"])

    def test_a_known_defacement_image_is_found_at_the_first_check(self):
        hacked = picture(66)
        known = imagehash.dhash_bytes(jpeg(hacked), max_bytes=10**6)
        _server, asset = self.site(recompressed(hacked))
        services.asset_update(actor=self.admin, asset=asset, forbidden_images=[known])
        asset = self.check(asset)
        self.assertIn("defacement", asset.problems)
        self.assertIn("A known defacement image", self.last(asset).reason)

    def test_a_hostile_image_is_recorded_as_refused_and_is_defacement_where_the_baseline_had_an_image(self):
        server, asset = self.site(jpeg(picture(2)))
        asset = self.check(asset)
        bomb = io.BytesIO()
        Image.new("1", (8000, 6000)).save(bomb, "PNG")
        server.pages["/logo.jpg"] = Page(body=bomb.getvalue(), headers={"Content-Type": "image/png"})
        asset = self.check(asset)
        result = self.last(asset)
        self.assertTrue(result.ok)
        self.assertIn(server.url("/logo.jpg"), result.detail["images_refused"])
        self.assertIn("Image refused", result.reason)
        self.assertIn("defacement", asset.problems)

    def test_a_rebaseline_takes_the_images_again(self):
        server, asset = self.site(jpeg(picture(3)))
        asset = self.check(asset)
        server.pages["/logo.jpg"] = Page(body=jpeg(picture(4)), headers=IMAGE_HEADERS)
        asset = self.check(asset)
        self.assertIn("defacement", asset.problems)
        services.asset_rebaseline(actor=self.admin, asset=asset)
        asset = self.check(asset)
        self.assertNotIn("defacement", asset.problems)
        now = imagehash.dhash_bytes(jpeg(picture(4)), max_bytes=10**6)
        self.assertEqual(asset.deface_images[server.url("/logo.jpg")], now)

    def test_a_forbidden_image_that_is_not_a_hash_is_refused_on_its_field(self):
        _server, asset = self.site(jpeg(picture(1)))
        for bad in (["xyz"], ["0123456789ABCDEG"], "0123456789abcdef", [f"{n:016x}" for n in range(51)]):
            with self.assertRaises(ValidationError) as caught:
                services.asset_update(actor=self.admin, asset=asset, forbidden_images=bad)
            self.assertIn("forbidden_images", caught.exception.message_dict)
        asset.refresh_from_db()
        self.assertEqual(asset.forbidden_images, [])
