"""The gateway's store as a nameko dependency: users, grants and idempotency records."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from nameko.extensions import DependencyProvider

from eventlog.engine import is_postgres, make_engine
from gateway.tables import grants, users
from gateway.tokens import hash_password

log = logging.getLogger(__name__)
ROOT = "*"  # a grant on "*" covers every organisation
GRANT_CACHE_SECONDS = 5.0


@dataclass(frozen=True)
class Grant:
    role: str
    org_id: str
    member_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"role": self.role, "org_id": self.org_id}
        if self.member_id:
            body["member_id"] = self.member_id
        return body


@dataclass(frozen=True)
class User:
    username: str
    display_name: str
    grants: tuple[Grant, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "display_name": self.display_name,
            "grants": [g.to_dict() for g in self.grants],
        }


class Store:
    """Short transactions only: no RPC ever happens inside one (SQLite freezes the hub)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._cache: dict[str, tuple[float, User | None]] = {}
        self._postgres = is_postgres(engine)
        m = "%s" if self._postgres else "?"
        self._reserve_sql = (
            'INSERT INTO idempotency (username, "key", request_hash, status, body, created_at) '
            f"VALUES ({m}, {m}, {m}, 0, '', {m})"
        )
        self._stored_sql = (
            f'SELECT status, body, request_hash FROM idempotency WHERE username = {m} AND "key" = {m}'
        )
        self._remember_sql = (
            f'UPDATE idempotency SET status = {m}, body = {m} WHERE username = {m} AND "key" = {m}'
        )
        self._release_sql = f'DELETE FROM idempotency WHERE username = {m} AND "key" = {m} AND status = 0'

    def password_hash(self, username: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(users.c.password_hash).where(users.c.username == username)).scalar()

    def user(self, username: str) -> User | None:
        cached = self._cache.get(username)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(users).where(users.c.username == username)).first()
            rows = conn.execute(
                sa.select(grants).where(grants.c.username == username).order_by(grants.c.grant_id)
            ).all()
        user = (
            None
            if row is None
            else User(
                row.username, row.display_name, tuple(Grant(g.role, g.org_id, g.member_id) for g in rows)
            )
        )
        self._cache[username] = (time.monotonic() + GRANT_CACHE_SECONDS, user)
        return user

    def create_user(self, username: str, password: str, display_name: str) -> bool:
        """False if the username is taken."""
        hashed = hash_password(password)
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    users.insert().values(
                        username=username,
                        display_name=display_name,
                        password_hash=hashed,
                        created_at=time.time(),
                    )
                )
        except sa.exc.IntegrityError:
            return False
        self._cache.pop(username, None)
        return True

    def add_grant(self, username: str, grant: Grant) -> None:
        try:
            with self.engine.begin() as conn:
                conn.execute(grants.insert().values(username=username, **grant.to_dict()))
        except sa.exc.IntegrityError:
            pass  # granting twice is granting once
        self._cache.pop(username, None)

    def list_users(self) -> list[User]:
        with self.engine.connect() as conn:
            names = conn.execute(sa.select(users.c.username).order_by(users.c.username)).scalars().all()
        return [u for u in (self.user(n) for n in names) if u]

    # -- idempotency ---------------------------------------------------------------
    # Every keyed write runs two of these, each one statement committed on its own, so
    # they run on the bare DBAPI connection in autocommit: SQLAlchemy's per-statement
    # work and its BEGIN cost several times the statement (one row by its primary key).

    def reserve(self, username: str, key: str, request_hash: str) -> tuple[int, str, str] | None:
        """Claim `key` for this request; None if claimed now, else (status, body, hash) stored."""
        with self._bare() as cursor:
            try:
                cursor.execute(self._reserve_sql, (username, key, request_hash, time.time()))
                return None
            except self.engine.dialect.loaded_dbapi.IntegrityError:
                pass
            cursor.execute(self._stored_sql, (username, key))
            row = cursor.fetchone()
        if row is None:  # released meanwhile: the caller may retry
            return (0, "", request_hash)
        return (int(row[0]), str(row[1]), str(row[2]))

    def remember(self, username: str, key: str, status: int, body: str) -> None:
        with self._bare() as cursor:
            cursor.execute(self._remember_sql, (status, body, username, key))

    def release(self, username: str, key: str) -> None:
        """Forget a claim whose request failed before the service answered (503...)."""
        with self._bare() as cursor:
            cursor.execute(self._release_sql, (username, key))

    @contextmanager
    def _bare(self) -> Iterator[Any]:
        """A cursor on a pooled DBAPI connection in autocommit (SQLite's connections are,
        PostgreSQL's are put there for the call); a connection that failed is dropped."""
        raw = self.engine.raw_connection()
        try:
            if self._postgres:
                raw.driver_connection.autocommit = True  # type: ignore[union-attr]
            cursor = raw.cursor()
            try:
                yield cursor
            finally:
                cursor.close()
            if self._postgres:
                raw.driver_connection.autocommit = False  # type: ignore[union-attr]
        except BaseException as exc:
            if not isinstance(exc, self.engine.dialect.loaded_dbapi.IntegrityError):
                raw.invalidate()
            raise
        finally:
            raw.close()


class GatewayStore(DependencyProvider):
    """Opens the store from DATABASE_URL; creates the bootstrap administrator if missing."""

    def setup(self) -> None:
        config = self.container.config
        self.store = Store(make_engine(config.get("DATABASE_URL") or "sqlite:///var/gateway.db"))
        self.admin = (
            str(config.get("GATEWAY_ADMIN_USER") or os.environ.get("GATEWAY_ADMIN_USER") or "admin"),
            str(config.get("GATEWAY_ADMIN_PASSWORD") or os.environ.get("GATEWAY_ADMIN_PASSWORD") or "admin"),
        )

    def start(self) -> None:
        username, password = self.admin
        try:
            if self.store.password_hash(username) is None:
                self.store.create_user(username, password, "Administrator")
                self.store.add_grant(username, Grant("administrator", ROOT))
        except sa.exc.OperationalError:
            log.error("the gateway's store is not migrated: run `python -m eventlog.migrate gateway`")

    def stop(self) -> None:
        self.store.engine.dispose()

    def get_dependency(self, worker_ctx: Any) -> Store:
        return self.store
