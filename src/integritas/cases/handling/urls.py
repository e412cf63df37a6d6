"""URLs for case handlers: inbox and case pages (mounted at /meldingen/)."""

from django.urls import path

from . import inbox, views

app_name = "cases"
urlpatterns = [
    path("", inbox.inbox, name="inbox"),
    path("vastleggen/", views.record, name="record"),
    path("cijfers/", views.figures, name="figures"),
    path("<str:case_number>/", views.case_detail, name="case_detail"),
    path("<str:case_number>/melder/", views.case_reporter, name="reporter"),
    path("<str:case_number>/stap/", views.case_transition, name="transition"),
    path("<str:case_number>/beoordeling/", views.case_assess, name="assess"),
    path("<str:case_number>/onderzoeker/", views.case_assign, name="assign"),
    path("<str:case_number>/betrokkene/", views.case_involved, name="involved"),
    path(
        "<str:case_number>/betrokkene/ontkoppelen/",
        views.case_unlink_involved,
        name="unlink_involved",
    ),
    path("<str:case_number>/besluit/", views.case_decision, name="decision"),
    path("<str:case_number>/aangifte/", views.case_aangifte, name="aangifte"),
    path("<str:case_number>/doorverwijzing/", views.case_referral, name="referral"),
    path("<str:case_number>/bewaren/", views.case_legal_hold, name="legal_hold"),
    path(
        "<str:case_number>/doorverwijzing-uitkomst/",
        views.case_referral_outcome,
        name="referral_outcome",
    ),
    path("<str:case_number>/bericht/", views.case_message, name="message"),
    path("<str:case_number>/notitie/", views.case_note, name="note"),
    path("<str:case_number>/bescherming/", views.case_protection, name="protection"),
    path("<str:case_number>/onderzoek/", views.case_investigation, name="investigation"),
    path("<str:case_number>/bewijs/", views.case_evidence, name="evidence"),
    path(
        "<str:case_number>/betrokkene-geinformeerd/",
        views.case_subject_informed,
        name="subject_informed",
    ),
    path("<str:case_number>/identiteit/", views.case_reveal_identity, name="reveal_identity"),
    path("<str:case_number>/identiteit-delen/", views.case_disclose, name="disclose"),
]
