"""Document the error responses every API operation can give, so the schema tells the truth.

DRF answers 400 (invalid input: an object of field → messages, or a list of messages),
401 (no or a bad token), 403 (the role may not), 404 (not found, or another wind-down's) and
429 (throttled) on any operation; drf-spectacular documents only the success response. This
post-processing hook adds the error responses each operation lacks, with the shapes DRF
actually sends.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from drf_spectacular import openapi

ERROR = {
    "oneOf": [
        {"type": "object", "additionalProperties": True},
        {"type": "array", "items": {}},
        {"type": "string"},
    ]
}
DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}
ERRORS = {
    "400": ("Invalid input: the problems by field, or a list of messages.", ERROR),
    "401": ("No token, or an invalid one.", DETAIL),
    "403": ("The caller's role may not do this.", DETAIL),
    "404": ("Not found (or another wind-down's).", DETAIL),
    "405": ("Method not allowed.", DETAIL),
    "429": ("Too many requests; retry later.", DETAIL),
}
METHODS = {"get", "put", "post", "patch", "delete", "head", "options", "trace"}


def add_error_responses(result, generator, request, public):
    """Add the error responses DRF can send to every operation that does not name them."""
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for code, (description, schema) in ERRORS.items():
                if code not in responses:
                    responses[code] = {
                        "description": description,
                        "content": {"application/json": {"schema": schema}},
                    }
    return result


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, with model fields in responses described as they are sent:
    a blank field may be "" (also outside its enum or format), a nullable one null."""

    def _map_basic_serializer(self, serializer, direction):
        # drf-spectacular adds `format` from a field's validators after mapping the field
        # (EmailValidator -> email): take it out again where the value is only ever sent
        result = super()._map_basic_serializer(serializer, direction)
        properties = result.get("properties", {})
        for name, field in serializer.fields.items():
            sent = direction == "response" or field.read_only
            described = properties.get(field.field_name or name)
            if (
                sent
                and isinstance(described, dict)
                and described.get("format") in ("email", "uri")
                and isinstance(_model_field(field), models.CharField)
            ):
                del described["format"]
        return result

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        result = super()._map_serializer_field(field, direction, bypass_extensions)
        # a read-only field is never taken from a request: whatever the direction, it is only
        # ever sent, so it is described as sent
        sent = direction == "response" or field.read_only
        if not sent or not isinstance(result, dict):
            return result
        model_field = _model_field(field)
        if model_field is None:
            return result
        if isinstance(model_field, models.CharField):
            # stored values were not all validated (older rows, services): a text, not a format
            if result.get("format") in ("email", "uri"):
                del result["format"]
            if getattr(model_field, "blank", False):
                if "enum" in result and "" not in result["enum"]:
                    result["enum"] = [*result["enum"], ""]
                result.pop("minLength", None)
        if getattr(model_field, "null", False):
            result["nullable"] = True
            if "enum" in result and None not in result["enum"]:
                result["enum"] = [*result["enum"], None]
        return result


def _model_field(field):
    parent = getattr(field, "parent", None)
    model = getattr(getattr(parent, "Meta", None), "model", None)
    source = getattr(field, "source", "")
    if model is None or not source or "." in source or source == "*":
        return None
    try:
        return model._meta.get_field(source)
    except FieldDoesNotExist:
        return None
