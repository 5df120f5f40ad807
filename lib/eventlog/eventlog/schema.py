"""The backbone's tables, present in every service's own database."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

event_log = sa.Table(
    "event_log",
    metadata,
    # Assigned by the appender under the log's write lock: gap-free and in commit order.
    sa.Column("position", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("stream_id", sa.String(200), nullable=False),
    sa.Column("stream_version", sa.Integer, nullable=False),
    sa.Column("event_id", sa.String(64), nullable=False, unique=True),
    sa.Column("event_type", sa.String(100), nullable=False),
    sa.Column("schema_version", sa.Integer, nullable=False),
    # Canonical JSON text, hashed byte for byte.
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("metadata", sa.Text, nullable=False),
    sa.Column("recorded_at", sa.String(32), nullable=False),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
    # HMAC-SHA256 of the hash under the service's key (eventlog.seal); added by migration 0004.
    sa.Column("seal", sa.String(64), nullable=True),
    sa.UniqueConstraint("stream_id", "stream_version", name="uq_event_log_stream_version"),
)

relay_progress = sa.Table(
    "relay_progress",
    metadata,
    sa.Column("name", sa.String(100), primary_key=True),
    sa.Column("position", sa.BigInteger, nullable=False, default=0),
    # One relay publishes at a time; the others wait for the lease to lapse.
    sa.Column("owner", sa.String(100), nullable=True),
    sa.Column("lease_until", sa.Float, nullable=False, default=0.0),
)

consumer_progress = sa.Table(
    "consumer_progress",
    metadata,
    sa.Column("source", sa.String(100), primary_key=True),
    sa.Column("position", sa.BigInteger, nullable=False, default=0),
)

dead_letters = sa.Table(
    "dead_letters",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("source", sa.String(100), nullable=True),
    sa.Column("position", sa.BigInteger, nullable=True),
    sa.Column("event_type", sa.String(100), nullable=True),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("received_at", sa.String(32), nullable=False),
)

BACKBONE_TABLES = (event_log, relay_progress, consumer_progress, dead_letters)

# Added by each service's migration 0003 (ADR 060), so not among the tables its 0001 makes.
rpc_requests = sa.Table(
    "rpc_requests",
    metadata,
    # The request's AMQP correlation id: the same in every delivery of one request.
    sa.Column("correlation_id", sa.String(200), primary_key=True),
    sa.Column("method", sa.String(200), nullable=False),
    # Inserted in the transaction that applied the command: proof it was applied.
    sa.Column("claimed_at", sa.String(32), nullable=False, index=True),
    # The reply as nameko sent it ({"result", "error"}, kombu JSON); NULL until stored.
    sa.Column("reply", sa.Text, nullable=True),
)
