"""R5.6: a line the parser fails on unexpectedly costs only itself: the read's other lines still go on, and the
TCP connection stays open (the handler would end it, losing what the sender had framed)."""

from __future__ import annotations

from django.test import SimpleTestCase

from ioc.cybersecurity.syslog import Line, _parsed


def parse(lines: list[Line]) -> list[bytes]:
    if any(line == b"boom" for line, _sender in lines):
        raise KeyError("a parser bug")
    return [line for line, _sender in lines]


class ParseGuardTest(SimpleTestCase):
    def test_one_failing_line_is_dropped_and_logged_the_others_kept_in_order(self):
        lines = [(b"a", "10.0.0.1"), (b"boom", "10.0.0.1"), (b"c", "10.0.0.1")]
        with self.assertLogs("ioc.cybersecurity.syslog", level="ERROR") as logged:
            self.assertEqual(list(_parsed(parse, lines)), [b"a", b"c"])
        self.assertIn("4 bytes from 10.0.0.1", logged.output[0])

    def test_a_read_that_parses_is_passed_through_whole(self):
        self.assertEqual(list(_parsed(parse, [(b"a", "h"), (b"b", "h")])), [b"a", b"b"])
