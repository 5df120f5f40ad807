"""Shared pieces of the request schemas."""

from marshmallow import RAISE, Schema, fields, validate

ID = validate.Regexp(
    r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$", error="must be 1-100 letters, digits, '.', '_' or '-'"
)
TEXT = validate.Length(max=20_000)


class Strict(Schema):
    class Meta:
        unknown = RAISE


def an_id(required: bool = True) -> fields.String:
    if required:
        return fields.String(required=True, validate=ID)
    return fields.String(load_default=None, allow_none=True, validate=ID)


def text(required: bool = True, max_length: int = 2000, min_length: int = 1) -> fields.String:
    rule = validate.Length(min=min_length, max=max_length)
    if required:
        return fields.String(required=True, validate=rule)
    return fields.String(load_default=None, allow_none=True, validate=validate.Length(max=max_length))


def day(required: bool = True) -> fields.Date:
    return fields.Date(required=True) if required else fields.Date(load_default=None, allow_none=True)


def version() -> fields.Integer:
    return fields.Integer(
        load_default=None,
        allow_none=True,
        strict=True,
        validate=validate.Range(min=0),
        metadata={"description": "the version you read; or send If-Match"},
    )


class Versioned(Strict):
    expected_version = version()


class Page(Strict):
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))


class OrgPage(Page):
    org_id = an_id(required=False)


class AsOfQuery(Strict):
    as_of = day(required=False)
