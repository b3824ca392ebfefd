"""Uploaded photos: accepted ones are re-encoded without metadata; bad ones are refused with a clear message."""

import io
import struct
import zipfile
import zlib

import pillow_heif
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase, override_settings
from PIL import Image, ImageCms

from ioc.common.images import CleanImage, image_clean


def jpeg_bytes(size=(320, 240), color=(30, 120, 200), **save_args) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", **save_args)
    return buffer.getvalue()


def png_bytes(image: Image.Image, **save_args) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", **save_args)
    return buffer.getvalue()


def exif_with_gps() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "CanaryCam"  # Make
    exif[0x0131] = "CanarySoftware"  # Software
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (20.0, 39.0, 30.5)
    gps[3] = "E"
    gps[4] = (106.0, 3.0, 15.25)
    return exif


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares huge dimensions (the pixels are never there)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


class ImageCleanAcceptsTest(SimpleTestCase):
    def assert_no_metadata(self, clean: CleanImage) -> None:
        reopened = Image.open(io.BytesIO(clean.content))
        self.assertEqual(dict(reopened.getexif()), {})
        self.assertNotIn("exif", reopened.info)
        self.assertNotIn("icc_profile", reopened.info)
        self.assertNotIn(b"Exif", clean.content)
        self.assertNotIn(b"Canary", clean.content)

    def test_it_strips_exif_and_gps_from_a_real_jpeg(self):
        original = jpeg_bytes(exif=exif_with_gps())
        source_exif = Image.open(io.BytesIO(original)).getexif()
        self.assertTrue(source_exif.get_ifd(0x8825), "the fixture must carry GPS")
        self.assertIn(b"CanaryCam", original)

        clean = image_clean(original, filename="IMG_0001.JPG")

        self.assertEqual((clean.content_type, clean.extension), ("image/jpeg", "jpg"))
        self.assertEqual((clean.width, clean.height), (320, 240))
        self.assert_no_metadata(clean)
        self.assertEqual(Image.open(io.BytesIO(clean.content)).format, "JPEG")

    def test_it_gives_the_sha256_of_the_stored_bytes(self):
        import hashlib

        clean = image_clean(jpeg_bytes())
        self.assertEqual(clean.sha256, hashlib.sha256(clean.content).hexdigest())

    def test_it_turns_the_photo_upright_by_its_exif_orientation(self):
        exif = Image.Exif()
        exif[0x0112] = 6  # rotate 90° clockwise to display
        clean = image_clean(jpeg_bytes(size=(300, 200), exif=exif))
        self.assertEqual((clean.width, clean.height), (200, 300))
        self.assert_no_metadata(clean)

    def test_it_drops_the_icc_profile_after_converting_to_srgb(self):
        icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
        clean = image_clean(jpeg_bytes(icc_profile=icc))
        self.assert_no_metadata(clean)

    def test_it_downsizes_to_1600_px_on_the_long_side(self):
        clean = image_clean(jpeg_bytes(size=(4000, 3000)))
        self.assertEqual((clean.width, clean.height), (1600, 1200))
        reopened = Image.open(io.BytesIO(clean.content))
        self.assertEqual(reopened.size, (1600, 1200))

    def test_it_keeps_a_small_photo_at_its_size(self):
        clean = image_clean(jpeg_bytes(size=(800, 600)), max_side=1600)
        self.assertEqual((clean.width, clean.height), (800, 600))

    def test_it_accepts_heic_and_reencodes_it_to_jpeg(self):
        buffer = io.BytesIO()
        pillow_heif.from_pillow(Image.new("RGB", (640, 480), (10, 200, 40))).save(buffer, quality=80)
        heic = buffer.getvalue()
        self.assertEqual(heic[4:12], b"ftypheic")

        upload = SimpleUploadedFile("IMG_4031.HEIC", heic, content_type="image/heic")
        clean = image_clean(upload)

        self.assertEqual((clean.content_type, clean.extension), ("image/jpeg", "jpg"))
        self.assertEqual((clean.width, clean.height), (640, 480))
        reopened = Image.open(io.BytesIO(clean.content))
        self.assertEqual(reopened.format, "JPEG")
        self.assertGreater(reopened.getpixel((320, 240))[1], 150)

    def test_it_accepts_webp(self):
        buffer = io.BytesIO()
        Image.new("RGB", (200, 100), (255, 0, 0)).save(buffer, "WEBP")
        clean = image_clean(buffer.getvalue(), filename="a.webp")
        self.assertEqual(clean.content_type, "image/jpeg")

    def test_it_keeps_transparency_as_png_without_text_chunks(self):
        from PIL import PngImagePlugin

        info = PngImagePlugin.PngInfo()
        info.add_text("Author", "Canary Author")
        clean = image_clean(png_bytes(Image.new("RGBA", (64, 64), (0, 0, 0, 0)), pnginfo=info))
        self.assertEqual((clean.content_type, clean.extension), ("image/png", "png"))
        self.assertNotIn(b"Canary", clean.content)
        self.assertEqual(Image.open(io.BytesIO(clean.content)).mode, "RGBA")

    def test_it_turns_an_opaque_png_into_jpeg(self):
        clean = image_clean(png_bytes(Image.new("RGB", (64, 64), (1, 2, 3))))
        self.assertEqual(clean.content_type, "image/jpeg")

    def test_it_accepts_a_16_bit_greyscale_png(self):
        clean = image_clean(png_bytes(Image.new("I;16", (32, 32), 40000)))
        self.assertEqual(clean.content_type, "image/jpeg")

    def test_it_accepts_a_multi_picture_jpeg_with_its_declared_frames(self):
        buffer = io.BytesIO()
        first, second = Image.new("RGB", (200, 100), (9, 9, 9)), Image.new("RGB", (50, 25), (200, 9, 9))
        first.save(buffer, "MPO", save_all=True, append_images=[second])
        clean = image_clean(buffer.getvalue(), filename="ultrahdr.jpg")
        self.assertEqual((clean.width, clean.height), (200, 100))

    def test_it_accepts_zero_padding_after_the_jpeg_end(self):
        clean = image_clean(jpeg_bytes() + b"\x00" * 64)
        self.assertEqual(clean.content_type, "image/jpeg")

    def test_it_ignores_a_path_trick_in_the_name(self):
        upload = SimpleUploadedFile("../../etc/passwd.jpg", jpeg_bytes(), content_type="image/jpeg")
        clean = image_clean(upload)
        for name in (clean.random_name(), clean.as_content_file().name or ""):
            self.assertRegex(name, r"^[0-9a-f]{32}\.jpg$")
        self.assertNotEqual(clean.random_name(), clean.random_name())

    @override_settings(IOC_UPLOAD_MAX_BYTES=5 * 1024 * 1024)
    def test_it_reads_the_limit_from_settings(self):
        self.assertEqual(image_clean(jpeg_bytes()).content_type, "image/jpeg")


class ImageCleanRefusesTest(SimpleTestCase):
    def assert_refused(self, code: str, upload, **kwargs) -> ValidationError:
        with self.assertRaises(ValidationError) as caught:
            image_clean(upload, **kwargs)
        error = caught.exception
        self.assertEqual(error.code, code)
        message = error.messages[0]
        self.assertIn(" / ", message, "Vietnamese first, English second")
        return error

    def test_it_refuses_a_text_file(self):
        error = self.assert_refused("image_not_image", b"hello, this is not a photo\n", filename="note.jpg")
        self.assertIn("Not a JPEG, PNG, WebP or HEIC image", error.messages[0])
        self.assertIn("không phải ảnh", error.messages[0])

    def test_it_refuses_a_text_file_named_with_a_path_trick(self):
        upload = SimpleUploadedFile("../../etc/passwd.jpg", b"root:x:0:0:root:/root:/bin/bash\n")
        self.assert_refused("image_not_image", upload)

    def test_it_refuses_an_empty_file(self):
        error = self.assert_refused("image_empty", b"")
        self.assertIn("empty", error.messages[0])

    def test_it_refuses_an_oversize_file_before_decoding(self):
        error = self.assert_refused("image_too_large", jpeg_bytes(size=(400, 400)), max_bytes=1024)
        self.assertIn("Image too large", error.messages[0])

    @override_settings(IOC_UPLOAD_MAX_BYTES=2 * 1024 * 1024)
    def test_it_refuses_an_upload_over_the_configured_limit(self):
        upload = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"\x00" * (2 * 1024 * 1024 + 1), "image/jpeg")
        error = self.assert_refused("image_too_large", upload)
        self.assertIn("2 MB", error.messages[0])

    def test_it_refuses_a_png_declaring_huge_dimensions(self):
        error = self.assert_refused("image_too_many_pixels", png_declaring(100_000, 100_000))
        self.assertIn("too many pixels", error.messages[0])

    def test_it_refuses_a_png_over_the_pixel_cap_below_pillows_own_limit(self):
        self.assert_refused("image_too_many_pixels", png_declaring(8000, 6000))

    def test_it_refuses_a_png_in_pillows_warning_band(self):
        self.assert_refused("image_too_many_pixels", png_declaring(10_000, 10_000), max_pixels=200_000_000)

    def test_it_refuses_a_jpeg_zip_polyglot(self):
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as zf:
            zf.writestr("shell.php", "<?php system($_GET['c']); ?>")
        polyglot = jpeg_bytes() + archive.getvalue()
        self.assertTrue(zipfile.is_zipfile(io.BytesIO(polyglot)), "the fixture must be a valid ZIP too")
        error = self.assert_refused("image_trailing_data", polyglot, filename="photo.jpg")
        self.assertIn("polyglot", error.messages[0])

    def test_it_refuses_html_after_a_png_end(self):
        data = png_bytes(Image.new("RGB", (8, 8))) + b"<script>alert(1)</script>"
        self.assert_refused("image_trailing_data", data)

    def test_it_refuses_a_png_named_as_a_jpeg(self):
        error = self.assert_refused("image_format_mismatch", png_bytes(Image.new("RGB", (8, 8))), filename="x.jpg")
        self.assertIn("does not match", error.messages[0])

    def test_it_refuses_a_jpeg_declared_as_another_type(self):
        upload = SimpleUploadedFile("photo", jpeg_bytes(), content_type="image/gif")
        self.assert_refused("image_format_mismatch", upload)

    def test_it_refuses_a_truncated_jpeg(self):
        data = jpeg_bytes(size=(400, 300))
        self.assert_refused("image_corrupt", data[: len(data) // 2])

    def test_it_refuses_a_jpeg_signature_followed_by_garbage(self):
        self.assert_refused("image_corrupt", b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + b"garbage" * 40)

    def test_it_refuses_a_heif_box_running_past_the_end(self):
        self.assert_refused(
            "image_corrupt", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00\x00\x10\x00meta"
        )
