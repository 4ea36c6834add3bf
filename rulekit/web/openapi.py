"""The OpenAPI 3.1 document of the HTTP service, reusing the published JSON Schemas.

The dossier and decision schemas are the files in :mod:`rulekit.schemas`, taken as they
are, with their ``$defs`` moved to ``components/schemas`` (``Dossier.unit``...) and their
references rewritten to match: OpenAPI 3.1 schema objects are JSON Schema 2020-12, so
nothing else changes, and a client validating against either document validates the same.
"""

from __future__ import annotations

import copy
from typing import Any

from rulekit.schemas import load_schema
from rulekit.version import ENGINE_VERSION
from rulekit.web.errors import ERRORS_FORMAT, MAX_LISTED

_REF = "#/components/schemas/"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": _REF + name}


def _rewrite(value: Any, prefix: str) -> Any:
    """Return ``value`` with ``#/$defs/x`` references pointing at ``prefix.x`` components."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str) and item.startswith("#/$defs/"):
                out[key] = _REF + f"{prefix}.{item.removeprefix('#/$defs/')}"
            else:
                out[key] = _rewrite(item, prefix)
        return out
    if isinstance(value, list):
        return [_rewrite(item, prefix) for item in value]
    return value


def _published(name: str, prefix: str) -> dict[str, Any]:
    """Return the components of the published schema ``name``: itself and its ``$defs``."""
    schema = copy.deepcopy(load_schema(name))
    for key in ("$schema", "$id"):
        schema.pop(key, None)
    defs = schema.pop("$defs", {})
    components = {prefix: _rewrite(schema, prefix)}
    components.update({f"{prefix}.{key}": _rewrite(item, prefix) for key, item in defs.items()})
    return components


_NULLABLE_STRING = {"type": ["string", "null"]}
_ERRORS = {
    "type": "object",
    "description": "Every problem, each with a JSON path (``$`` the body, ``?name`` a query "
    f"parameter, ``{{name}}`` a path segment). At most {MAX_LISTED} are listed; "
    "error_count says how many there were.",
    "required": ["format", "errors", "error_count"],
    "properties": {
        "format": {"const": ERRORS_FORMAT},
        "errors": {
            "type": "array",
            "maxItems": MAX_LISTED,
            "items": {
                "type": "object",
                "required": ["path", "message"],
                "properties": {"path": {"type": "string"}, "message": {"type": "string"}},
            },
        },
        "error_count": {"type": "integer", "minimum": 0},
        "request_id": {"type": "string"},
    },
}
_UNIT = {
    "type": "object",
    "required": ["code", "title", "ects"],
    "properties": {
        "code": {"type": "string"},
        "title": _NULLABLE_STRING,
        "ects": {"type": ["integer", "null"]},
    },
}
_RULE = {
    "type": "object",
    "required": ["id", "track", "fr", "en"],
    "properties": {
        "id": {"type": "string"},
        "track": _NULLABLE_STRING,
        "fr": {"type": "string"},
        "en": {"type": "string"},
    },
}
_CATALOGUE = {
    "type": "object",
    "required": ["format", "id", "rncp", "title", "ruleset_version", "tracks", "blocs", "rules"],
    "properties": {
        "format": {"const": "rulekit.catalogue/1"},
        "id": {"type": "string"},
        "rncp": {"type": "string"},
        "title": {"type": "string"},
        "certifier": {"type": "string"},
        "level": {"type": "integer"},
        "ruleset_version": {"type": "string"},
        "effective_from": _NULLABLE_STRING,
        "ruleset_digest": {"type": "string"},
        "plugin": {"type": "string"},
        "plugin_version": {"type": "string"},
        "versions": {"type": "array", "items": {"type": "object"}},
        "registration": {"type": ["object", "null"]},
        "experience": {"type": ["object", "null"]},
        "internship": {"type": ["object", "null"]},
        "validity_years": {"type": ["integer", "null"]},
        "blocs_required": {"type": "boolean"},
        "routes": {"type": "array", "items": {"type": "object"}},
        "tracks": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "title", "mandatory", "choices"],
                "properties": {
                    "id": {"type": "string"},
                    "title": {"type": "string"},
                    "mandatory": {"type": "array", "items": _ref("Unit")},
                    "choices": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["choose", "units"],
                            "properties": {
                                "choose": {"type": "integer"},
                                "units": {"type": "array", "items": _ref("Unit")},
                            },
                        },
                    },
                    "source": _NULLABLE_STRING,
                },
            },
        },
        "blocs": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "title"],
                "properties": {"code": {"type": "string"}, "title": {"type": "string"}},
            },
        },
        "rules": {"type": "array", "items": _ref("Rule")},
        "sources": {"type": "array", "items": {"type": "string"}},
    },
}
_LISTING = {
    "type": "object",
    "required": ["certifications", "unavailable", "problems"],
    "properties": {
        "certifications": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "rncp", "title", "tracks", "ruleset_version", "plugin"],
                "properties": {
                    "id": {"type": "string"},
                    "rncp": {"type": "string"},
                    "title": {"type": "string"},
                    "tracks": {"type": "array", "items": {"type": "string"}},
                    "ruleset_version": {"type": "string"},
                    "effective_from": _NULLABLE_STRING,
                    "plugin": {"type": "string"},
                    "plugin_version": {"type": "string"},
                    "ruleset_digest": {"type": "string"},
                },
            },
        },
        "unavailable": {"type": "array", "items": {"type": "object"}},
        "problems": {"type": "array", "items": {"type": "object"}},
    },
}
_RECORD = {
    "type": "object",
    "required": ["format", "seq", "recorded_at", "prev_hash", "hash", "dossier", "decision"],
    "properties": {
        "format": {"const": "rulekit.log-record/1"},
        "seq": {"type": "integer", "minimum": 1},
        "recorded_at": {"type": "string"},
        "prev_hash": {"type": "string"},
        "hash": {"type": "string"},
        "signature": _NULLABLE_STRING,
        "dossier": {"description": "The dossier as recorded (JSON)."},
        "decision": {"description": "The decision as recorded (rulekit.decision/1 JSON)."},
    },
}
_REPLAY = {
    "type": "object",
    "required": ["format", "mode", "engine_version", "results"],
    "properties": {
        "format": {"const": "rulekit.replay/1"},
        "mode": {"enum": ["exact", "current"]},
        "rules_as_of": _NULLABLE_STRING,
        "engine_version": {"type": "string"},
        "results": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["seq", "status", "detail"],
                "properties": {
                    "seq": {"type": "integer"},
                    "status": {
                        "enum": [
                            "identical",
                            "defect",
                            "not_installed",
                            "engine_changed",
                            "unchanged",
                            "changed",
                            "error",
                        ]
                    },
                    "detail": {"type": "string"},
                },
            },
        },
    },
}
_HEALTH = {
    "type": "object",
    "required": ["status"],
    "properties": {"status": {"const": "ok"}, "engine_version": {"type": "string"}},
}


def _errors(*statuses: int) -> dict[str, Any]:
    reasons = {
        400: "A query parameter or path segment is malformed (each one named).",
        401: "No bearer token, or an unknown one.",
        403: "The token lacks a role this request needs.",
        404: "No such certification, track, rule-set version, record or route.",
        405: "Method not allowed (see Allow).",
        408: "The body stopped arriving.",
        411: "A body without Content-Length or chunked encoding.",
        413: "The body is over the limit.",
        415: "Not the content type this operation takes.",
        422: "The dossier is not valid: every problem, each with its JSON path.",
        503: "The decision log cannot be read or written, or fails verification; or the "
        "server is at its connection limit.",
    }
    return {
        str(status): {
            "description": reasons[status],
            "headers": {"X-Request-Id": _ref_header()},
            "content": {"application/json": {"schema": _ref("Errors")}},
        }
        for status in statuses
    }


def _ref_header() -> dict[str, str]:
    return {"$ref": "#/components/headers/X-Request-Id"}


def _ok(description: str, schema: dict[str, Any], media: str = "application/json") -> Any:
    return {
        "description": description,
        "headers": {"X-Request-Id": _ref_header()},
        "content": {media: {"schema": schema}},
    }


def _query(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


_DATE = {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}


def _evaluation_parameters() -> list[dict[str, Any]]:
    dossier = load_schema("dossier")["properties"]
    certification = next(o for o in dossier["certification"]["anyOf"] if o.get("type"))
    track = next(o for o in dossier["track"]["anyOf"] if o.get("type"))
    return [
        _query("as_of", "Decision date (default: today in France).", _DATE),
        _query(
            "certification",
            "Certification id, overriding the dossier's.",
            {"type": "string", "pattern": certification["pattern"]},
        ),
        _query(
            "track",
            "Evaluate this track only.",
            {"type": "string", "pattern": track["pattern"]},
        ),
        _query(
            "ruleset_version",
            "Evaluate with this rule-set version instead of the one in force.",
            {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"},
        ),
        _query(
            "record",
            "Append the decision and the dossier to the decision log (role record).",
            {"type": "boolean", "default": False},
        ),
    ]


def _seq_parameter() -> dict[str, Any]:
    return {
        "name": "seq",
        "in": "path",
        "required": True,
        "description": "The record number in the decision log.",
        "schema": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1},
    }


def openapi_document() -> dict[str, Any]:
    """Return the OpenAPI 3.1 document (``GET /openapi.json``)."""
    bearer: list[dict[str, list[str]]] = [{"bearer": []}]
    evaluation = _evaluation_parameters()
    schemas: dict[str, Any] = {
        **_published("dossier", "Dossier"),
        **_published("decision", "Decision"),
        "Errors": _ERRORS,
        "Unit": _UNIT,
        "Rule": _RULE,
        "Catalogue": _CATALOGUE,
        "Listing": _LISTING,
        "LogRecord": _RECORD,
        "Replay": _REPLAY,
        "Health": _HEALTH,
    }
    paths: dict[str, Any] = {
        "/v1/evaluate": {
            "post": {
                "operationId": "evaluate",
                "summary": "Evaluate one dossier",
                "security": bearer,
                "parameters": evaluation,
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("Dossier")}},
                },
                "responses": {
                    "200": _ok("The decision, eligible or not.", _ref("Decision")),
                    "201": {
                        **_ok("The decision, recorded (record=true).", _ref("Decision")),
                        "headers": {
                            "X-Request-Id": _ref_header(),
                            "Location": {
                                "description": "The recorded decision: /v1/decisions/{seq}.",
                                "schema": {"type": "string"},
                            },
                            "X-Rulekit-Record": {
                                "description": "The record number.",
                                "schema": {"type": "string", "pattern": "^[0-9]+$"},
                            },
                        },
                    },
                    **_errors(400, 401, 403, 404, 408, 411, 413, 415, 422, 503),
                },
            }
        },
        "/v1/whatif": {
            "post": {
                "operationId": "whatif",
                "summary": "The decision as if a plan happened, against today's",
                "description": "The body is {dossier: rulekit.dossier/1, plan: "
                "rulekit.plan/1}; the answer compares the decision as it stands on as_of "
                "with the decision as if the plan happened (rulekit whatif). A simulation "
                "is never recorded.",
                "security": bearer,
                "parameters": [p for p in evaluation if p["name"] != "record"],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["dossier", "plan"],
                                "additionalProperties": False,
                                "properties": {
                                    "dossier": _ref("Dossier"),
                                    "plan": {"type": "object"},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": _ok("The comparison (rulekit.whatif/1).", {"type": "object"}),
                    **_errors(400, 401, 403, 404, 408, 411, 413, 415, 422, 503),
                },
            }
        },
        "/v1/batch": {
            "post": {
                "operationId": "batch",
                "summary": "Evaluate many dossiers (JSON Lines in, JSON Lines out)",
                "description": "Each non-blank line of the body is a dossier. The answer has "
                "one line per dossier, in order: {line, decision[, record]} or {line, "
                "status, error: rulekit.errors/1}; a bad line never stops the batch. The "
                "last line is {summary: {lines, decisions, errors, recorded}}.",
                "security": bearer,
                "parameters": evaluation,
                "requestBody": {
                    "required": True,
                    "content": {"application/x-ndjson": {"schema": {"type": "string"}}},
                },
                "responses": {
                    "200": _ok(
                        "One answer line per dossier.", {"type": "string"}, "application/x-ndjson"
                    ),
                    **_errors(400, 401, 403, 408, 411, 413, 415),
                },
            }
        },
        "/v1/certifications": {
            "get": {
                "operationId": "listCertifications",
                "summary": "What is installed",
                "responses": {"200": _ok("Installed rule sets.", _ref("Listing")), **_errors(400)},
            }
        },
        "/v1/certifications/{id}": {
            "get": {
                "operationId": "catalogue",
                "summary": "The catalogue of one certification",
                "parameters": [
                    {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    },
                    _query("as_of", "The rule set in force on this day (default today).", _DATE),
                    evaluation[3],
                ],
                "responses": {
                    "200": _ok("Tracks, units, blocs and rules in plain words.", _ref("Catalogue")),
                    **_errors(400, 404),
                },
            }
        },
        "/v1/decisions/{seq}": {
            "get": {
                "operationId": "decision",
                "summary": "A recorded decision and its dossier (role audit)",
                "security": bearer,
                "parameters": [
                    _seq_parameter(),
                    _query(
                        "format", "json, or html: the auditor's page.", {"enum": ["json", "html"]}
                    ),
                    _query("lang", "Language of the html page.", {"enum": ["fr", "en"]}),
                ],
                "responses": {
                    "200": {
                        "description": "The record, once the chain up to it is verified.",
                        "headers": {"X-Request-Id": _ref_header()},
                        "content": {
                            "application/json": {"schema": _ref("LogRecord")},
                            "text/html": {"schema": {"type": "string"}},
                        },
                    },
                    **_errors(400, 401, 403, 404, 503),
                },
            }
        },
        "/v1/decisions/{seq}/replay": {
            "get": {
                "operationId": "replay",
                "summary": "Replay a recorded decision (role audit)",
                "security": bearer,
                "parameters": [
                    _seq_parameter(),
                    _query(
                        "rules_as_of",
                        "Replay with the rules in force on this day instead of the recorded "
                        "rule set.",
                        _DATE,
                    ),
                ],
                "responses": {
                    "200": _ok("The replay result.", _ref("Replay")),
                    **_errors(400, 401, 403, 404, 503),
                },
            }
        },
        "/v1/schemas/{name}": {
            "get": {
                "operationId": "schema",
                "summary": "A published JSON Schema",
                "parameters": [
                    {
                        "name": "name",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                        "description": "dossier or decision",
                    }
                ],
                "responses": {
                    "200": _ok("The JSON Schema.", {"type": "object"}, "application/schema+json"),
                    **_errors(400, 404),
                },
            }
        },
        "/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "This document",
                "responses": {"200": _ok("OpenAPI 3.1.", {"type": "object"}), **_errors(400)},
            }
        },
        "/healthz": {
            "get": {
                "operationId": "health",
                "summary": "The process is up",
                "responses": {"200": _ok("Up.", _ref("Health"))},
            }
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "rulekit",
            "version": ENGINE_VERSION,
            "description": "Decides, with reasons, whether a learner's dossier meets a French "
            "professional certification (titre RNCP). Every error is rulekit.errors/1 JSON. "
            "A server started without a token file needs no token (it listens on loopback).",
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "headers": {
                "X-Request-Id": {
                    "description": "The request id (the client's, or a new one).",
                    "schema": {"type": "string"},
                }
            },
        },
    }
