"""/api/openapi.json documents every operation: a summary, a response schema for every status
it answers, examples for its request body; and only the public ones answer without a token."""

import re

import pytest

# What every operation needing a token answers besides its success; with a path parameter
# (an id or slug that may name nothing, or nothing the user may see) also 400 and 404.
ALWAYS = {"401"}
WITH_PATH = {"400", "404"}


@pytest.fixture(scope="module")
def schema():
    from django.test import Client

    return Client().get("/api/openapi.json").json()


def operations(schema):
    for path, item in schema["paths"].items():
        for method, op in item.items():
            yield path, method, op


def resolve(schema, node: dict) -> dict:
    """The object a schema node stands for (an optional body is anyOf [it, null])."""
    if "anyOf" in node:
        node = next(n for n in node["anyOf"] if n.get("type") != "null")
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = schema["components"]["schemas"][name]
    return node


def test_the_schema_lists_the_api(schema):
    ops = {(m, p) for p, m, _ in operations(schema)}
    assert ("patch", "/api/assessments/{assessment_id}/findings/{finding_id}/") in ops
    assert ("post", "/api/assessments/{assessment_id}/cells/{cell_id}/evidence/") in ops
    assert len(ops) >= 50


def test_every_operation_has_its_own_summary(schema):
    """ninja makes one from the function name when none is given: that one does not count."""
    missing = []
    for path, method, op in operations(schema):
        name = op["operationId"].rsplit("_api_", 1)[-1]
        if not op.get("summary") or op["summary"] == name.title().replace("_", " "):
            missing.append(f"{method.upper()} {path}")
    assert not missing, f"operations without a summary: {missing}"


def test_every_status_has_a_response_schema(schema):
    problems = []
    for path, method, op in operations(schema):
        where = f"{method.upper()} {path}"
        codes = set(op["responses"])
        if not any(code.startswith("2") for code in codes):
            problems.append(f"{where}: no success response")
        needed = set(ALWAYS) if op.get("security") else set()
        if "{" in path:
            needed |= WITH_PATH
        if op.get("requestBody") or op.get("parameters"):
            needed.add("400")
        if missing := needed - codes:
            problems.append(f"{where}: does not document {sorted(missing)}")
        for code, answer in op["responses"].items():
            if code == "204":
                assert "content" not in answer, f"{where}: a 204 has no body"
                continue
            content = answer.get("content") or {}
            if not content or not all("schema" in media for media in content.values()):
                problems.append(f"{where}: {code} has no response schema")
    assert not problems, "\n".join(problems)


def test_json_responses_name_their_fields(schema):
    """Response objects list their properties and allow no others, so that a field sent but
    not documented fails the schemathesis run."""
    problems = []
    for path, method, op in operations(schema):
        for code, answer in op["responses"].items():
            media = (answer.get("content") or {}).get("application/json")
            if not media or media["schema"].get("type") == "object" and code == "200":
                continue  # a JSON file export is an object of its own shape
            node = resolve(schema, media["schema"])
            if node.get("type") == "array":
                node = resolve(schema, node["items"])
            if node.get("type") != "object" or "properties" not in node:
                problems.append(f"{method.upper()} {path} {code}: not an object with properties")
    assert not problems, "\n".join(problems)


def test_every_request_body_has_an_example(schema):
    problems = []
    for path, method, op in operations(schema):
        body = op.get("requestBody")
        if not body:
            continue
        for media_type, media in body["content"].items():
            node = resolve(schema, media["schema"])
            if not (media.get("example") or media.get("examples") or node.get("examples")):
                problems.append(f"{method.upper()} {path} ({media_type})")
    assert not problems, f"request bodies without an example: {problems}"


def test_the_checks_above_can_fail(schema):
    """A made-up operation with none of it is caught by each check."""
    bare = {
        "openapi": schema["openapi"],
        "components": schema["components"],
        "paths": {
            "/api/things/{thing_id}/": {
                "post": {
                    "operationId": "servplan_things_api_add_thing",
                    "summary": "Add Thing",
                    "security": [{"BearerToken": []}],
                    "requestBody": {
                        "content": {"application/json": {"schema": {"type": "object"}}}
                    },
                    "responses": {"200": {"description": "OK"}},
                }
            }
        },
    }
    for check in (
        test_every_operation_has_its_own_summary,
        test_every_status_has_a_response_schema,
        test_every_request_body_has_an_example,
    ):
        with pytest.raises(AssertionError):
            check(bare)


def _url(path: str) -> str:
    return re.sub(r"\{[^}]+\}", lambda m: "115-1-6" if m.group() == "{slug}" else "1", path)


def test_only_the_public_operations_answer_without_a_token(db, schema, client):
    """Every operation that needs a token answers 401 without one (before it reads anything);
    the public ones (no `security`) are all under /api/public/ and need none."""
    problems = []
    for path, method, op in operations(schema):
        response = client.generic(method.upper(), _url(path))
        public = not op.get("security")
        if public != path.startswith("/api/public/"):
            problems.append(f"{method.upper()} {path}: public={public}")
        if not public and response.status_code != 401:
            problems.append(f"{method.upper()} {path}: {response.status_code} without a token")
        if public and response.status_code == 401:
            problems.append(f"{method.upper()} {path}: public but 401")
    assert not problems, "\n".join(problems)


def test_a_wrong_token_is_refused_like_none(db, schema, client):
    response = client.get("/api/assessments/", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}
