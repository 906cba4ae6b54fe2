"""The OpenAPI description of `clausesmith serve`'s JSON API, served at /api/openapi.json."""

from __future__ import annotations

from typing import Any

from clausesmith import __version__

_DEAL: dict[str, Any] = {
    "type": "object",
    "required": ["deal"],
    "properties": {
        "deal": {
            "type": "object",
            "description": "The deal as `clausesmith schema` describes it; dates as "
            "YYYY-MM-DD text.",
        }
    },
}
_PROBLEM = {
    "type": "object",
    "properties": {
        "key": {"type": "string", "description": "the deal key, e.g. royalties.rate_pct"},
        "message": {"type": "string", "description": "what is wrong and what to type"},
    },
}
_FINDING = {
    "type": "object",
    "properties": {
        "rule": {"type": "string"},
        "title": {"type": "string"},
        "severity": {"type": "string", "enum": ["block", "warn"]},
        "basis": {"type": "string", "enum": ["law", "guidance", "policy"]},
        "message": {"type": "string"},
        "state": {"type": "string", "enum": ["", "overridden", "acknowledged"]},
    },
}
_CHECKED: dict[str, Any] = {
    "type": "object",
    "properties": {
        "problems": {"type": "array", "items": _PROBLEM},
        "findings": {"type": "array", "items": _FINDING},
        "preview": {"type": "string", "description": "the text twins as HTML"},
    },
}
_ERROR = {"type": "object", "properties": {"error": {"type": "string"}}}
_AUTH: list[dict[str, list[str]]] = [{"token": []}, {"cookie": []}]


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "clausesmith serve",
        "version": __version__,
        "description": "The local deal form's API: one user, one deal file, loopback only. "
        "Every request carries the token printed at start (Authorization: Bearer) or the "
        "cookie the page sets; a request with an Origin other than the server's, or a Host "
        "other than its loopback name and port, is refused; bodies are at most 1,000,000 "
        "bytes.",
    },
    "components": {
        "securitySchemes": {
            "token": {"type": "http", "scheme": "bearer"},
            "cookie": {"type": "apiKey", "in": "cookie", "name": "clausesmith_token"},
        }
    },
    "security": _AUTH,
    "paths": {
        "/api/check": {
            "post": {
                "summary": "Validate a deal, run the guardrails and preview its documents",
                "requestBody": {"required": True, **_json(_DEAL)},
                "responses": {"200": {"description": "the checks", **_json(_CHECKED)}},
            }
        },
        "/api/save": {
            "post": {
                "summary": "Save the deal into the server's deal file, keeping its comments",
                "requestBody": {
                    "required": True,
                    **_json(
                        {
                            **_DEAL,
                            "properties": {
                                **_DEAL["properties"],
                                "path": {
                                    "type": "string",
                                    "description": "only for a new deal: the file to create",
                                },
                            },
                        }
                    ),
                },
                "responses": {
                    "200": {
                        "description": "saved; the checks of what was saved",
                        **_json(
                            {
                                **_CHECKED,
                                "properties": {
                                    "saved": {"type": "string"},
                                    **_CHECKED["properties"],
                                },
                            }
                        ),
                    },
                    "409": {"description": "the file changed on disk", **_json(_ERROR)},
                },
            }
        },
        "/api/documents": {
            "post": {
                "summary": "Render the deal's documents and return them as a zip",
                "requestBody": {"required": True, **_json(_DEAL)},
                "responses": {
                    "200": {
                        "description": "the Word documents, text twins and lock",
                        "content": {"application/zip": {}},
                    },
                    "422": {"description": "invalid or blocked: the checks", **_json(_CHECKED)},
                },
            }
        },
    },
}
