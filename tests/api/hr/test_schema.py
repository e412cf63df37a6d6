"""The OpenAPI document lists the HR endpoints and their bearer security scheme."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_schema_lists_the_hr_endpoints_and_the_security_scheme() -> None:
    response = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json() if "json" in response["Content-Type"] else None
    if schema is None:
        import yaml

        schema = yaml.safe_load(response.content)
    paths = schema["paths"]
    assert set(paths["/api/v1/hr/medewerkers/"]) >= {"get", "post"}
    assert "get" in paths["/api/v1/hr/afdelingen/"]
    assert "get" in paths["/api/v1/hr/functies/"]
    duties = paths["/api/v1/hr/verplichtingen/"]["get"]
    assert {p["name"] for p in duties["parameters"]} >= {
        "personeelsnummer",
        "status",
        "te_laat",
        "soort",
        "after",
        "limit",
    }
    assert "400" in duties["responses"]
    assert "HR-koppeling" in schema["info"]["description"]
    scheme = schema["components"]["securitySchemes"]["hrApiToken"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    for path in (
        "/api/v1/hr/medewerkers/",
        "/api/v1/hr/afdelingen/",
        "/api/v1/hr/functies/",
        "/api/v1/hr/verplichtingen/",
    ):
        for operation in paths[path].values():
            assert operation["security"] == [{"hrApiToken": []}]
            assert {"401", "403", "429"} <= set(operation["responses"])
    post = paths["/api/v1/hr/medewerkers/"]["post"]
    assert set(post["responses"]) >= {"200", "400"}
    # The public Meldpunt endpoints stay without authentication.
    assert "security" not in paths["/api/v1/meldpunt/meldingen/"]["post"] or paths[
        "/api/v1/meldpunt/meldingen/"
    ]["post"]["security"] in ([], [{}])
