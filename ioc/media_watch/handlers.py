"""The online-information watch's side of `assignments` (DESIGN "Agency work"), registered in `apps.ready()`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from ioc.assignments.choices import UpdateKind
from ioc.assignments.models import Assignment
from ioc.media_watch.services.handling import PROCESS, handling_follow

if TYPE_CHECKING:
    from ioc.accounts.models import User


class MediaWatchSubjectHandler:
    """R5.7: an agency's answer to an item forwarded to it is kept with the item (time to answer)."""

    label = _("Thông tin trên mạng")  # the process's name in the officer's inbox

    def on_transition(self, *, assignment: Assignment, kind: UpdateKind, actor: User | None, text: str) -> None:
        handling_follow(assignment=assignment, kind=str(kind), text=text)

    def evidence_photo_required(self, *, assignment: Assignment) -> bool:
        return False


HANDLER = MediaWatchSubjectHandler()


def register() -> None:
    from ioc.assignments.services import register_subject_handler

    register_subject_handler(PROCESS, HANDLER)
