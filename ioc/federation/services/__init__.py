"""Every write of federation (R9.1–R9.3), re-exported: `from ioc.federation import services`."""

from ioc.federation.services.collect import collect_all, link_collect
from ioc.federation.services.directives import conflict_resolve, directive_send
from ioc.federation.services.inbox import authenticate, batch_receive, deliveries_forget, parse
from ioc.federation.services.links import link_create, link_keys_set, link_update, mapping_remove, mapping_set
from ioc.federation.services.outbox import messages_enqueue
from ioc.federation.services.sender import dead_letter_replay, deliver_batch, deliver_due
from ioc.federation.services.submissions import report_submit

__all__ = [
    "authenticate",
    "batch_receive",
    "collect_all",
    "conflict_resolve",
    "dead_letter_replay",
    "deliver_batch",
    "deliver_due",
    "deliveries_forget",
    "directive_send",
    "link_collect",
    "link_create",
    "link_keys_set",
    "link_update",
    "mapping_remove",
    "mapping_set",
    "messages_enqueue",
    "parse",
    "report_submit",
]
