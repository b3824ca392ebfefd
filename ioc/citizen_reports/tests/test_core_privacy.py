"""R7.5: field encryption, blind indexes and masking of contacts typed into free text."""

from django.test import SimpleTestCase, override_settings

from ioc.citizen_reports.privacy import DecryptionError, blind_index, decrypt, encrypt, mask_contacts


class EncryptionTest(SimpleTestCase):
    def test_it_round_trips_vietnamese_text(self):
        token = encrypt("Nguyễn Văn Bình 0912 345 678")
        self.assertTrue(token.startswith("v1:"))
        self.assertNotIn("0912", token)
        self.assertEqual(decrypt(token), "Nguyễn Văn Bình 0912 345 678")

    def test_it_uses_a_fresh_nonce_each_time(self):
        self.assertNotEqual(encrypt("0912345678"), encrypt("0912345678"))

    def test_it_keeps_empty_values_empty(self):
        self.assertEqual(encrypt(""), "")
        self.assertEqual(decrypt(""), "")

    def test_it_refuses_a_tampered_value(self):
        token = encrypt("0912345678")
        tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
        with self.assertRaises(DecryptionError):
            decrypt(tampered)
        with self.assertRaises(DecryptionError):
            decrypt("plain text")

    def test_it_refuses_a_value_encrypted_with_another_key(self):
        token = encrypt("0912345678")
        with override_settings(FIELD_ENCRYPTION_KEY="another-key-" + "k" * 40), self.assertRaises(DecryptionError):
            decrypt(token)


class BlindIndexTest(SimpleTestCase):
    def test_it_matches_the_same_phone_however_written(self):
        forms = ["0912345678", "0912 345 678", "0912.345.678", "+84 912 345 678", "+84912345678", "0084912345678"]
        self.assertEqual(len({blind_index(f) for f in forms}), 1)

    def test_it_matches_e_mails_case_insensitively(self):
        self.assertEqual(blind_index("An.Nguyen@Example.VN "), blind_index("an.nguyen@example.vn"))

    def test_it_tells_different_values_apart_and_hides_them(self):
        self.assertNotEqual(blind_index("0912345678"), blind_index("0912345679"))
        self.assertNotIn("0912345678", blind_index("0912345678"))
        self.assertEqual(blind_index(""), "")

    def test_it_depends_on_the_key(self):
        before = blind_index("0912345678")
        with override_settings(FIELD_ENCRYPTION_KEY="another-key-" + "k" * 40):
            self.assertNotEqual(blind_index("0912345678"), before)


class MaskContactsTest(SimpleTestCase):
    def test_it_masks_vietnamese_phone_numbers_in_every_usual_form(self):
        cases = {
            "Gọi 0912 345 678 nhé": "Gọi 09** *** *78 nhé",
            "SĐT: 0912.345.678": "SĐT: 09**.***.*78",
            "số 0900000123.": "số 09******23.",
            "+84 912 345 678": "+84 *** *** *78",
            "(+84) 912-345-678": "(+84) ***-***-*78",
            "0084912345678": "00*********78",
            "bàn (024) 3825 1234": "bàn (02*) **** **34",
            "0221.3862.123": "02**.****.*23",
            "sdt0912345678": "sdt09******78",
        }
        for text, masked in cases.items():
            with self.subTest(text=text):
                self.assertEqual(mask_contacts(text), masked)

    def test_it_masks_e_mail_addresses(self):
        text = "Liên hệ an.nguyen@example.vn hoặc persona-citizen@canary.invalid"
        masked = mask_contacts(text)
        self.assertEqual(masked, "Liên hệ a***@*** hoặc p***@***")
        self.assertNotIn("canary.invalid", masked)

    def test_it_leaves_dates_coordinates_and_short_numbers_alone(self):
        for text in [
            "ngày 2025-07-01 lúc 10:30",
            "toạ độ 21.0287, 105.8523",
            "vĩ độ 21.0912345678",
            "số nhà 123, ngõ 45",
            "mã 0912345678901 quá dài",
            "",
        ]:
            with self.subTest(text=text):
                self.assertEqual(mask_contacts(text), text)

    def test_it_hides_the_canary_phone_entirely(self):
        self.assertNotIn("0900000", mask_contacts("Gọi cho tôi: 0900000123 hoặc 0900 000 123"))
