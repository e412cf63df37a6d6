"""The counsellors' own pages, mounted at /vertrouwenspersoon/: the log (log/) and the
appointments, trainings and intervisie (training/). The directory stays at
/beheer/vertrouwenspersonen/ (urls.py)."""

from django.urls import include, path

urlpatterns = [
    path("bijeenkomsten/", include("integritas.counsel.training.urls")),
    path("", include("integritas.counsel.log.urls")),
]
