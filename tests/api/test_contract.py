"""The OpenAPI document, the docs page, and errors that are always problem+json."""
from __future__ import annotations

import pytest


def test_openapi_document_is_generated_3_1(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json
    assert spec["openapi"] == "3.1.0"
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    paths = spec["paths"]
    for path in ["/api/v1/boards", "/api/v1/boards/{slug}/topics", "/api/v1/topics/{topic_id}", "/api/v1/posts/{post_id}", "/api/v1/members/{username}", "/api/v1/me/notifications", "/api/v1/moderation/log"]:
        assert path in paths
    # Request bodies are generated from the same schemas that validate them.
    reply = spec["components"]["schemas"]["ReplyCreate"]
    assert reply["properties"]["body"]["maxLength"] == 50_000 and reply["additionalProperties"] is False
    assert paths["/api/v1/topics/{topic_id}/posts"]["post"]["security"] == [{"bearerAuth": ["write"]}]
    assert paths["/api/v1/moderation/log"]["get"]["security"] == [{"bearerAuth": ["moderate"]}]
    assert "application/problem+json" in paths["/api/v1/posts/{post_id}"]["patch"]["responses"]["422"]["content"]


def test_docs_page_is_served_from_the_package(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "/api/v1/docs/assets/swagger-ui-bundle.js" in html and "/static/js/api-docs.js" in html
    assert "http://" not in html.replace("http://localhost", "") and "https://" not in html
    assert "<script>" not in html and "style=" not in html
    asset = client.get("/api/v1/docs/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200 and len(asset.data) > 100_000
    assert client.get("/api/v1/docs/assets/../../config.py").status_code == 404
    assert client.get("/api/v1/docs/assets/index.html").status_code == 404


@pytest.mark.parametrize("url", ["/api", "/api/", "/api/v2/boards", "/api/v1/nothing/here", "/api/v1/boards/a/b/c"])
def test_unknown_api_routes_are_json_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
    assert response.json["type"] == "/api/v1/problems/not-found"
    assert b"<html" not in response.data


def test_wrong_method_is_json_405_with_allow(client):
    response = client.put("/api/v1/boards")
    assert response.status_code == 405
    assert response.content_type == "application/problem+json"
    assert "GET" in response.headers["Allow"]


def test_pages_still_answer_html_errors(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404 and response.content_type.startswith("text/html")


def test_unexpected_errors_are_json_500(client, monkeypatch):
    from forum.services import reading

    def boom():
        raise RuntimeError("boom")

    monkeypatch.setattr(reading, "boards_for_index", boom)
    response = client.get("/api/v1/boards")
    assert response.status_code == 500
    assert response.json["type"] == "/api/v1/problems/server-error"
    assert "boom" not in response.get_data(as_text=True)


def test_problem_types_are_documented(client):
    response = client.get("/api/v1/problems/validation-error")
    assert response.status_code == 200 and response.json["title"] == "Validation failed"
    assert client.get("/api/v1/problems/nope").status_code == 404


def test_database_outage_is_json_503(client, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from forum.services import reading

    def down():
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    monkeypatch.setattr(reading, "boards_for_index", down)
    response = client.get("/api/v1/boards")
    assert response.status_code == 503
    assert response.content_type == "application/problem+json"
    assert response.headers["Retry-After"] == "5"
