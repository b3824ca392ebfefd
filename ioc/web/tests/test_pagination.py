"""The shared pager keeps every filter of the list and changes only the page."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory, SimpleTestCase


class PaginationTest(SimpleTestCase):
    def test_it_keeps_the_filters_in_both_links(self):
        page = Paginator(list(range(120)), 50).page(2)
        request = RequestFactory().get("/xu-ly/", {"status": "forwarded", "deadline": "overdue", "page": "2"})
        html = render_to_string("web/includes/pagination.html", {"page": page}, request=request)
        self.assertIn('href="?status=forwarded&amp;deadline=overdue&amp;page=1"', html)
        self.assertIn('href="?status=forwarded&amp;deadline=overdue&amp;page=3"', html)
        self.assertIn("Trang 2 / 3", html)

    def test_it_draws_nothing_for_a_single_page(self):
        page = Paginator([1, 2], 50).page(1)
        html = render_to_string("web/includes/pagination.html", {"page": page}, request=RequestFactory().get("/"))
        self.assertEqual(html.strip(), "")
