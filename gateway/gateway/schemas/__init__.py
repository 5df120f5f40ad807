"""marshmallow at the HTTP edge: every body and query, unknown fields refused."""
