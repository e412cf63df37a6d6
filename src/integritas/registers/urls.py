"""The pages of `registers`."""

from django.urls import path

from . import campaign_urls, views

app_name = "registers"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("nieuw/nevenwerkzaamheid/", views.side_activity_create, name="side_activity_create"),
    path("nieuw/geschenk/", views.gift_create, name="gift_create"),
    path("nieuw/belangenconflict/", views.conflict_create, name="conflict_create"),
    path("nieuw/opdracht/", views.contract_create, name="contract_create"),
    path("nieuw/financieel-belang/", views.financial_create, name="financial_create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/wijzigen/", views.side_activity_edit, name="side_activity_edit"),
    path("<int:pk>/beeindigen/", views.side_activity_end, name="side_activity_end"),
    path("<int:pk>/besluit/", views.decide, name="decide"),
    path("beoordelen/", views.queue, name="queue"),
    path("register/", views.register, name="register"),
    path("signalen/", views.signals, name="signals"),
    path("signalen/<int:pk>/wegen/", views.signal_weigh, name="signal_weigh"),
    path("signalen/lijst/", views.counterparties_import, name="counterparties_import"),
    path("register/export.<str:fmt>", views.register_export, name="register_export"),
]

# The yearly re-confirmation (campaign_urls.py).
urlpatterns += campaign_urls.urlpatterns
