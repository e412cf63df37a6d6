"""URLs for case handlers: inbox and case pages."""


app_name = "cases"
urlpatterns: list = []
