"""The plans service's state tables: snapshots kept beside the event log, same transaction."""

import sqlalchemy as sa

metadata = sa.MetaData()

organizations = sa.Table(
    "organizations",
    metadata,
    sa.Column("org_id", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("code", sa.String(50), nullable=True),
    sa.Column("parent_id", sa.String(64), nullable=True, index=True),
    # "/root/.../org_id/": a subtree is one indexed prefix scan, at any depth.
    sa.Column("path", sa.String(2000), nullable=False),
    sa.Column("depth", sa.Integer, nullable=False),
    sa.Column("registered_on", sa.String(10), nullable=False),
    sa.Column("dissolved_on", sa.String(10), nullable=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Index("ix_organizations_path", "path", postgresql_ops={"path": "text_pattern_ops"}),
)
