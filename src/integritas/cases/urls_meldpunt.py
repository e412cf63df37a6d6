"""Public URLs of the Meldpunt: intake and the reporter's mailbox (no login, no session)."""

from django.urls import path

from . import views_meldpunt as views

app_name = "meldpunt"
urlpatterns = [
    path("", views.intake, name="intake"),
    path("ontvangst/bewaard/", views.receipt_saved, name="receipt_saved"),
    path("ontvangst/bewijs/", views.receipt_proof_download, name="receipt_proof"),
    path("postvak/", views.mailbox, name="mailbox"),
    path("postvak/bericht/", views.mailbox_reply, name="mailbox_reply"),
    path(
        "postvak/verslag/<int:message_id>/akkoord/",
        views.mailbox_minutes_approve,
        name="mailbox_minutes_approve",
    ),
    path("postvak/bewijs/", views.mailbox_proof, name="mailbox_proof"),
    path("postvak/uitloggen/", views.mailbox_logout, name="mailbox_logout"),
]
