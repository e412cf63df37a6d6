"""Public URLs of the Meldpunt: intake and the reporter's mailbox (no login, no session)."""


app_name = "meldpunt"
urlpatterns: list = []
