"""POST /api/imports: the loaders' warnings and refusals, as the API gives them."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from partnermap.loaders._tables import LEGACY_ENCODING_WARNING

EDGE = b"source,target,type\nschool-1,Book Harvest,meeting\n"


def upload(
    client: TestClient, name: str, body: bytes, **params: str
) -> tuple[int, Any]:
    res = client.post("/api/imports", params={"filename": name, **params}, content=body)
    return res.status_code, res.json()


def test_import_of_a_clean_file_has_no_warnings(tiny_client: TestClient) -> None:
    body = b"id,name,kind\nnew-1,Cafe Ole,nonprofit\n"
    assert upload(tiny_client, "people.csv", body) == (
        200,
        {
            "file": "people.csv",
            "format": "tidy",
            "stakeholders_added": 1,
            "stakeholders_updated": 0,
            "interactions_added": 0,
            "attributes_updated": 0,
            "version": 2,
            "warnings": [],
        },
    )


def test_import_of_a_windows_1252_file_says_so(tiny_client: TestClient) -> None:
    body = "id,name,kind\nnew-1,Café Olé,nonprofit\n".encode("cp1252")
    status, result = upload(tiny_client, "people.csv", body)
    assert (status, result["stakeholders_added"], result["warnings"]) == (
        200,
        1,
        [LEGACY_ENCODING_WARNING],
    )


def test_import_with_create_missing_names_its_placeholders(
    tiny_client: TestClient,
) -> None:
    status, result = upload(tiny_client, "e.csv", EDGE, create_missing="true")
    assert (status, result["interactions_added"], result["warnings"]) == (
        200,
        1,
        [
            (
                "created 1 placeholder stakeholder(s) of kind 'other' for unknown "
                "references (--create-missing; create_missing=true through the API): "
                "'Book Harvest'"
            )
        ],
    )


def test_a_refusal_names_the_api_parameter_too(tiny_client: TestClient) -> None:
    problem = (
        "e.csv row 2 column 'target': target 'Book Harvest' is not a "
        "known stakeholder; load its stakeholders table in the same import or "
        "first, or pass --create-missing to add a placeholder "
        "(create_missing=true through the API)"
    )
    assert upload(tiny_client, "e.csv", EDGE) == (
        422, {"error": "LoadError", "detail": problem, "problems": [problem]}
    )


def test_a_refusal_lists_every_problem(tiny_client: TestClient) -> None:
    body = (
        b"source,target,type,date\n"
        b"school-1,Nobody Club,meeting,2024-09-01\n"
        b"school-1,school-1,dance,2024-09-02\n"
        b"school-1,school-1,meeting,someday\n"
    )
    status, result = upload(tiny_client, "e.csv", body)
    assert status == 422
    assert result["detail"].endswith("(and 2 more)")
    assert [p.split(":", 1)[0] for p in result["problems"]] == [
        "e.csv row 3 column 'type'",
        "e.csv row 4 column 'date'",
        "e.csv row 2 column 'target'",
    ]


def test_a_file_of_mixed_encodings_is_refused(tiny_client: TestClient) -> None:
    body = "id,name,kind\nn2,Café,nonprofit\n".encode() + b"n3,Zo\xeb,nonprofit\n"
    assert upload(tiny_client, "m.csv", body) == (
        422,
        {
            "error": "LoadError",
            "detail": "m.csv: line 3 is not UTF-8 while the rest of the file is "
            "(byte 0xeb, 'ë' in Windows-1252); save the file as UTF-8 (in Excel: "
            "Save As, CSV UTF-8), or retype the letters of that line, and load it "
            "again",
            "problems": [
                "m.csv: line 3 is not UTF-8 while the rest of the file is "
                "(byte 0xeb, 'ë' in Windows-1252); save the file as UTF-8 (in Excel: "
                "Save As, CSV UTF-8), or retype the letters of that line, and load it "
                "again"
            ],
        },
    )


def test_import_warnings_are_in_the_openapi_model(tiny_client: TestClient) -> None:
    schema = tiny_client.get("/openapi.json").json()["components"]["schemas"]
    model = schema["ImportResult"]
    assert "warnings" in model["required"]
    assert model["properties"]["warnings"] == {
        "type": "array",
        "items": {"type": "string"},
        "title": "Warnings",
        "description": "the loader's warnings, as `partnermap load` prints them "
        "(empty when none): a file read as Windows-1252, placeholders made for "
        "unknown stakeholders, skipped title rows or sheets, dates that also "
        "read day-first",
    }


def test_a_form_upload_is_refused_with_how_to_send_the_file(tiny_client: TestClient) -> None:
    before = tiny_client.get("/api/health").json()["version"]
    res = tiny_client.post(
        "/api/imports",
        params={"filename": "people.csv"},
        files={"file": ("people.csv", b"id,name,kind\nnew-1,Cafe Ole,nonprofit\n")},
    )
    assert res.status_code == 422
    assert res.json()["detail"] == (
        "the body is a form (multipart/form-data); send the file itself as the body, "
        "e.g. curl --data-binary @people.csv -H 'Content-Type: application/octet-stream' "
        "'.../api/imports?filename=people.csv'"
    )
    assert tiny_client.get("/api/health").json()["version"] == before


def test_a_url_encoded_upload_is_refused(tiny_client: TestClient) -> None:
    """curl -d @people.csv sends the file as a form with its line breaks
    dropped: refused, not read as one long row."""
    before = tiny_client.get("/api/health").json()["version"]
    res = tiny_client.post(
        "/api/imports",
        params={"filename": "people.csv"},
        content=b"id,name,kindnew-1,Cafe Ole,nonprofit",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert res.status_code == 422
    assert res.json()["detail"].startswith(
        "the body is a form (application/x-www-form-urlencoded without line breaks); "
        "send the file itself as the body, e.g. curl --data-binary @people.csv"
    )
    assert tiny_client.get("/api/health").json()["version"] == before


def test_a_file_sent_with_curl_data_binary_loads(tiny_client: TestClient) -> None:
    """curl --data-binary keeps line breaks but declares a url-encoded form."""
    res = tiny_client.post(
        "/api/imports",
        params={"filename": "people.csv"},
        content=b"id,name,kind\nnew-1,Cafe Ole,nonprofit\n",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert (res.status_code, res.json()["stakeholders_added"]) == (200, 1)


def test_a_form_body_declared_as_a_file_is_refused(tiny_client: TestClient) -> None:
    body = (
        b"--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.csv\"\r\n"
        b"Content-Type: text/csv\r\n\r\nid,name,kind\nnew-1,Cafe Ole,nonprofit\n"
        b"\r\n--xyz--\r\n"
    )
    res = tiny_client.post(
        "/api/imports",
        params={"filename": "p.csv"},
        content=body,
        headers={"Content-Type": "application/octet-stream"},
    )
    assert res.status_code == 422
    assert res.json()["detail"].startswith("the body is a form (multipart/form-data);")


def test_a_refusal_of_many_problems_lists_1000_and_counts_the_rest(
    tiny_client: TestClient,
) -> None:
    body = b"source,target,type\n" + b"school-1,school-1,dance\n" * 1_200
    status, result = upload(tiny_client, "e.csv", body)
    assert status == 422
    assert result["detail"].endswith("(and 1199 more)")
    assert len(result["problems"]) == 1_001
    assert result["problems"][999].startswith("e.csv row 1001 column 'type'")
    assert result["problems"][-1] == "(and 200 more problems)"


def test_the_upload_route_docstring_examples_hold() -> None:
    import doctest

    from partnermap.api.routes import imports

    result = doctest.testmod(imports)
    assert (result.attempted, result.failed) == (5, 0)
