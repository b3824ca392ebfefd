"""R9.1, R7.2: links are configured by an administrator, their keys set only on a pending written request;
directives go down through the outbox and land as assignments on the child; collectors send each change once."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from ioc.accounts.choices import RequestKind, RequestStatus
from ioc.accounts.services import account_request_record
from ioc.accounts.testing import DOCUMENT
from ioc.assignments.models import Assignment
from ioc.federation import services, signing
from ioc.federation.choices import Flow, LinkRole, OutState
from ioc.federation.models import Directive, Link, OutboxMessage
from ioc.federation.services.flows import DIRECTIVE_PROCESS
from ioc.federation.tests.base import FederationTestCase, client_transport, keys_request, link_make


class LinksTest(FederationTestCase):
    def test_keys_need_a_pending_issue_request_which_they_apply(self):
        link = services.link_create(actor=self.admin, code="huyen", name="Huyện", role=LinkRole.CHILD)
        request = keys_request(self.admin)
        link, secret = services.link_keys_set(actor=self.admin, link=link, account_request=request, key_id="huyen-1")
        self.assertGreaterEqual(len(secret), 32)
        self.assertEqual(signing.unseal(link.secret_sealed), secret)
        self.assertNotIn(secret, link.secret_sealed)
        request.refresh_from_db()
        self.assertEqual(request.status, RequestStatus.APPLIED)
        with self.assertRaises(ValidationError) as ctx:  # the same request is not used twice
            services.link_keys_set(actor=self.admin, link=link, account_request=request, key_id="huyen-2")
        self.assertIn("account_request", ctx.exception.message_dict)

    def test_a_request_of_another_kind_is_refused(self):
        link = services.link_create(actor=self.admin, code="huyen", name="Huyện", role=LinkRole.CHILD)
        other = account_request_record(kind=RequestKind.LOCK, **DOCUMENT, approver=self.admin, requested_by=self.admin)
        with self.assertRaises(ValidationError):
            services.link_keys_set(actor=self.admin, link=link, account_request=other, key_id="huyen-1")
        link.refresh_from_db()
        self.assertEqual(link.key_id, "")

    def test_only_an_administrator_configures(self):
        with self.assertRaises(PermissionDenied):
            services.link_create(actor=self.operator, code="huyen", name="Huyện", role=LinkRole.CHILD)
        self.assertFalse(Link.objects.filter(code="huyen").exists())

    def test_bad_input_names_the_field(self):
        with self.assertRaises(ValidationError) as ctx:
            services.link_create(
                actor=self.admin,
                code="X!",
                name="",
                role=LinkRole.PARENT,
                base_url="ftp://x",
                flows=[Flow.NATIONAL_EXPORT],
            )
        self.assertEqual(set(ctx.exception.message_dict), {"code", "name", "base_url", "flows"})

    def test_a_short_secret_or_used_key_id_is_refused(self):
        link = services.link_create(actor=self.admin, code="huyen", name="Huyện", role=LinkRole.CHILD)
        with self.assertRaises(ValidationError) as ctx:
            services.link_keys_set(
                actor=self.admin,
                link=link,
                account_request=keys_request(self.admin),
                key_id=self.link.key_id,
                secret="short",
            )
        self.assertEqual(set(ctx.exception.message_dict), {"key_id", "secret"})


class DirectivesTest(FederationTestCase):
    def test_a_directive_lands_as_an_assignment_once(self):
        child = link_make(self.admin, code="huyen", role=LinkRole.CHILD, key_id="huyen-1", flows=[Flow.DIRECTIVE])
        directive = services.directive_send(
            actor=self.operator,
            link=child,
            title="Kiểm tra đê sông Luộc",
            instructions="Báo cáo trước 17 giờ.",
            agency_code=self.agency_a.code,
            working_hours=8,
        )
        row = OutboxMessage.objects.get(link=child)
        self.assertEqual((row.flow, row.payload["directive_id"]), (Flow.DIRECTIVE, directive.pk))
        services.deliver_due(transport=client_transport(self.client))
        row.refresh_from_db()
        self.assertEqual(row.state, OutState.DELIVERED)
        work = Assignment.objects.get(process=DIRECTIVE_PROCESS)
        self.assertEqual((work.agency, work.subject_label), (self.agency_a, "Kiểm tra đê sông Luộc"))

    def test_an_unknown_agency_is_a_dead_letter_and_no_assignment(self):
        child = link_make(self.admin, code="huyen", role=LinkRole.CHILD, key_id="huyen-1", flows=[Flow.DIRECTIVE])
        services.directive_send(
            actor=self.operator, link=child, title="Việc", instructions="Làm", agency_code="khong-co", working_hours=8
        )
        services.deliver_due(transport=client_transport(self.client))
        self.assertEqual(OutboxMessage.objects.get().state, OutState.DEAD)
        self.assertIn("payload.agency", OutboxMessage.objects.get().last_error)
        self.assertFalse(Assignment.objects.filter(process=DIRECTIVE_PROCESS).exists())

    def test_a_bad_directive_is_refused_and_writes_nothing(self):
        with self.assertRaises(ValidationError) as ctx:
            services.directive_send(
                actor=self.operator, link=self.link, title="<b>x</b>", instructions="", agency_code="", working_hours=0
            )
        self.assertEqual(
            set(ctx.exception.message_dict), {"link", "title", "instructions", "agency_code", "working_hours"}
        )
        self.assertFalse(Directive.objects.exists())
        self.assertFalse(OutboxMessage.objects.exists())


class CollectTest(FederationTestCase):
    def test_collecting_twice_sends_each_change_once(self):
        first = services.link_collect(link=self.link)
        flows = {row.flow for row in first}
        self.assertIn(Flow.CITIZEN_REPORTS_DAILY, flows)
        self.assertIn(Flow.INCIDENTS_DAILY, flows)
        self.assertEqual(services.link_collect(link=self.link), [])

    def test_collected_messages_are_applied_by_the_parent(self):
        services.link_collect(link=self.link)
        services.deliver_due(transport=client_transport(self.client))
        states = set(OutboxMessage.objects.values_list("state", flat=True))
        self.assertEqual(states, {OutState.DELIVERED})
