"""The gateway's own tables: users, their grants, and remembered idempotent responses."""

import sqlalchemy as sa

metadata = sa.MetaData()

users = sa.Table(
    "users",
    metadata,
    sa.Column("username", sa.String(64), primary_key=True),
    sa.Column("display_name", sa.String(300), nullable=False),
    sa.Column("password_hash", sa.String(200), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
)

grants = sa.Table(
    "grants",
    metadata,
    sa.Column("grant_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(64), sa.ForeignKey("users.username"), nullable=False, index=True),
    sa.Column("role", sa.String(40), nullable=False),
    sa.Column("org_id", sa.String(64), nullable=False),
    sa.Column("member_id", sa.String(100), nullable=True),
    sa.UniqueConstraint("username", "role", "org_id", "member_id", name="uq_grant"),
)

idempotency = sa.Table(
    "idempotency",
    metadata,
    sa.Column("username", sa.String(64), primary_key=True),
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("request_hash", sa.String(64), nullable=False),
    # 0 while the first request is still being answered
    sa.Column("status", sa.Integer, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
)
