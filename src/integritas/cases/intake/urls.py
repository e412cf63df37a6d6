"""Public URLs of the Meldpunt: intake and the reporter's mailbox (no login, no session)."""

from django.urls import path

from integritas.cases.mailbox import views as mailbox

from . import views

app_name = "meldpunt"
urlpatterns = [
    path("", views.intake, name="intake"),
    path("ontvangst/", views.receipt, name="receipt"),
    path("ontvangst/bewaard/", views.receipt_saved, name="receipt_saved"),
    path("ontvangst/bewijs/", views.receipt_proof_download, name="receipt_proof"),
    path("postvak/", mailbox.mailbox, name="mailbox"),
    path("postvak/bericht/", mailbox.mailbox_reply, name="mailbox_reply"),
    path(
        "postvak/verslag/<int:message_id>/akkoord/",
        mailbox.mailbox_minutes_approve,
        name="mailbox_minutes_approve",
    ),
    path("postvak/bewijs/", mailbox.mailbox_proof, name="mailbox_proof"),
    path("postvak/uitloggen/", mailbox.mailbox_logout, name="mailbox_logout"),
    # Last: an organisation's own address; the paths above win over a slug of that name.
    path("<slug:slug>/", views.intake_for_organisation, name="intake_organisation"),
]
