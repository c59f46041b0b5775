"""The admin dashboard's "Waiting for you" panel: what editors and coordinators
have to act on (join requests, erasure requests, follow-ups that are due, mailings
not yet sent), each with a count and a link to where it is done.

One count query per kind shown, whatever the numbers: the panel's cost does not
grow with the backlog it reports.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component

from network.models import (
    CoordinationNote,
    DeletionRequest,
    DeletionRequestStatus,
    JoinRequest,
    JoinRequestStatus,
)
from network.visibility import visible_notes
from updates.models import Mailing, MailingStatus


@dataclass(frozen=True)
class Waiting:
    label: str
    count: int
    url: str
    action: str


def waiting_for(user) -> list[Waiting]:
    """What waits on ``user``, limited to what their permissions let them act on."""
    items = []
    if user.has_perm("network.change_joinrequest"):
        count = JoinRequest.objects.filter(status=JoinRequestStatus.PENDING).count()
        items.append(
            Waiting(
                "Join requests to decide",
                count,
                reverse("joinrequest:index") + "?status=pending",
                "Decide",
            )
        )
    if user.has_perm("network.change_deletionrequest"):
        count = DeletionRequest.objects.filter(
            status=DeletionRequestStatus.PENDING
        ).count()
        items.append(
            Waiting(
                "Erasure requests to confirm",
                count,
                reverse("deletionrequest:index") + "?status=pending",
                "Confirm",
            )
        )
    if user.has_perm("network.view_coordinationnote"):
        count = (
            visible_notes(CoordinationNote.objects.all(), user)
            .filter(
                author=user,
                done=False,
                follow_up_on__lte=timezone.localdate(),
            )
            .count()
        )
        items.append(
            Waiting(
                "Your follow-ups due today or overdue",
                count,
                reverse("wagtailsnippets_network_coordinationnote:list")
                + "?follow_ups=mine",
                "Follow up",
            )
        )
    if user.has_perm("updates.change_mailing") or user.has_perm("updates.send_mailing"):
        count = Mailing.objects.filter(status=MailingStatus.DRAFT).count()
        items.append(
            Waiting(
                "Mailings drafted, not sent",
                count,
                reverse("updates_mailing:index") + "?status=draft",
                "Finish and send",
            )
        )
    return items


class WaitingForYouPanel(Component):
    name = "waiting_for_you"
    order = 50
    template_name = "cms/admin/waiting_for_you_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        return {"items": waiting_for(self.request.user)}
