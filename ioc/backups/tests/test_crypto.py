"""R10.1: the chunked AES-GCM stream opens only as written, with the right key, whole and in order."""

import io
import struct

from django.test import SimpleTestCase

from ioc.backups.crypto import CHUNK_BYTES, HEADER_BYTES, ArchiveError, DecryptingReader, EncryptingWriter

KEY = "k" * 40


def seal(data: bytes, key: str = KEY) -> bytes:
    sink = io.BytesIO()
    writer = EncryptingWriter(sink, key)
    for start in range(0, len(data), 300_000):  # written in pieces that do not line up with chunks
        writer.write(data[start : start + 300_000])
    writer.close()
    return sink.getvalue()


def open_all(sealed: bytes, key: str = KEY) -> bytes:
    reader = DecryptingReader(io.BytesIO(sealed), key)
    data = reader.read()
    reader.finish()
    return data


def chunks(sealed: bytes) -> list[bytes]:
    """The framed chunks (length word + ciphertext) after the header."""
    out, pos = [], HEADER_BYTES
    while pos < len(sealed):
        (word,) = struct.unpack(">I", sealed[pos : pos + 4])
        size = word & 0x7FFF_FFFF
        out.append(sealed[pos : pos + 4 + size])
        pos += 4 + size
    return out


class ChunkedAesGcmTest(SimpleTestCase):
    def test_it_round_trips_every_size_around_a_chunk(self):
        for size in (0, 1, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 3 * CHUNK_BYTES + 7):
            data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
            with self.subTest(size=size):
                self.assertEqual(open_all(seal(data)), data)

    def test_it_never_writes_the_plain_text(self):
        self.assertNotIn(b"secret rows", seal(b"secret rows" * 1000))

    def test_it_refuses_a_wrong_key_by_name(self):
        with self.assertRaises(ArchiveError) as caught:
            open_all(seal(b"data"), key="w" * 40)
        self.assertEqual(caught.exception.code, "wrong_key")

    def test_it_refuses_a_flipped_byte_in_any_chunk(self):
        sealed = seal(b"a" * (2 * CHUNK_BYTES + 10))
        for offset in (HEADER_BYTES + 10, HEADER_BYTES + CHUNK_BYTES + 100, len(sealed) - 3):
            damaged = bytearray(sealed)
            damaged[offset] ^= 1
            with self.subTest(offset=offset), self.assertRaises(ArchiveError) as caught:
                open_all(bytes(damaged))
            self.assertEqual(caught.exception.code, "tampered")

    def test_it_refuses_reordered_dropped_and_truncated_chunks(self):
        sealed = seal(b"b" * (2 * CHUNK_BYTES + 10))
        header, parts = sealed[:HEADER_BYTES], chunks(sealed)
        self.assertEqual(len(parts), 3)
        cases = {
            "swapped": (header + parts[1] + parts[0] + parts[2], "tampered"),
            "dropped": (header + parts[0] + parts[2], "tampered"),
            "last missing": (header + parts[0] + parts[1], "truncated"),
            "cut short": (sealed[:-5], "truncated"),
            "appended": (sealed + parts[2], "tampered"),
        }
        for name, (damaged, code) in cases.items():
            with self.subTest(name), self.assertRaises(ArchiveError) as caught:
                open_all(damaged)
            self.assertEqual(caught.exception.code, code)

    def test_it_refuses_a_file_that_is_no_archive(self):
        with self.assertRaises(ArchiveError) as caught:
            open_all(b"PK\x03\x04 not a backup" + b"\0" * 100)
        self.assertEqual(caught.exception.code, "not_archive")
