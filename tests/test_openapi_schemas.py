"""Every API operation declares what it answers (issue #11): a JSON schema with properties, or
the file type of a download, so the OpenAPI document, its clients and the fuzz know the shape."""

from __future__ import annotations


def test_every_success_answer_has_a_declared_shape():
    from huoban.api import api

    doc = api.get_openapi_schema()
    undeclared = []
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            for code, answer in operation.get("responses", {}).items():
                if not str(code).startswith("2"):
                    continue
                content = answer.get("content", {})
                schema = content.get("application/json", {}).get("schema")
                files = [t for t in content if t != "application/json"]
                if files:
                    continue
                bare = schema is None or (
                    "$ref" not in schema
                    and schema.get("type") == "object"
                    and not schema.get("properties")
                )
                if bare:
                    undeclared.append(f"{method.upper()} {path} {code}")
    assert undeclared == []
