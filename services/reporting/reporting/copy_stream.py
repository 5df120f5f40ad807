"""COPY ... FROM STDIN fed while its rows are still being made, and statements run in
the same order on the same connection, without waiting for them; a table's indexes set
aside for a load.

A thread sends the text to PostgreSQL (psycopg2 lets go of the GIL while it waits on
the socket), so the server stores facts on one core while Python reads and decodes the
logs on the other, and builds indexes while Python sums the figures. In a green
(eventlet) process there is no second thread to speak of: each piece is copied, and
each statement run, at once instead.
"""

from __future__ import annotations

import io
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg2.extensions


@contextmanager
def without_green_waits() -> Iterator[None]:
    """COPY refuses a green connection; a rebuild is a batch job, so it may hold the hub
    while it copies (only the tests run it inside a green process)."""
    green = psycopg2.extensions.get_wait_callback()
    psycopg2.extensions.set_wait_callback(None)
    try:
        yield
    finally:
        psycopg2.extensions.set_wait_callback(green)


END = object()  # closes one table's COPY


class _Run(str):
    """A statement to run, not a COPY to begin."""


class _Pieces:
    """The file-like object copy_expert reads: each read is the next piece, "" at the end."""

    def __init__(self, pieces: queue.Queue[Any]) -> None:
        self.pieces = pieces

    def read(self, size: int = -1) -> str:
        piece = self.pieces.get()
        return "" if piece is END else piece

    readline = read


class CopyStream:
    """COPY several tables one after the other: `begin(statement)`, `put(text)`...,
    `end()`; `close()` waits for the server and raises what went wrong, if anything."""

    def __init__(self, cursor: Any, backlog: int = 64) -> None:
        self.cursor = cursor
        self.green = psycopg2.extensions.get_wait_callback() is not None
        self.error: BaseException | None = None
        self.statement, self.open = "", False
        # Pieces waiting for the server: enough that Python goes on summing figures while
        # the server builds indexes, few enough to hold the reading back when it is ahead.
        self.pieces: queue.Queue[Any] = queue.Queue(maxsize=backlog)
        self.thread: threading.Thread | None = None
        if not self.green:
            self.thread = threading.Thread(target=self._send, name="copy", daemon=True)
            self.thread.start()

    def _send(self) -> None:
        while (statement := self.pieces.get()) is not None:
            if isinstance(statement, _Run):
                if self.error is None:
                    try:
                        self.cursor.execute(statement)
                    except BaseException as exc:  # handed to the caller in close()
                        self.error = exc
                continue
            try:
                if self.error is None:
                    self.cursor.copy_expert(statement, _Pieces(self.pieces), size=1 << 20)
                    continue
            except BaseException as exc:  # handed to the caller in close()
                self.error = exc
            while self.pieces.get() is not END:  # skip the rest of this table
                pass

    def begin(self, statement: str) -> None:
        self.statement, self.open = statement, True
        if self.thread is not None:
            self.pieces.put(statement)

    def execute(self, statement: str) -> None:
        """Run `statement` after everything sent so far (between tables, not inside one)."""
        if self.thread is None:
            self.cursor.execute(statement)
        else:
            self.pieces.put(_Run(statement))

    def put(self, text: str) -> None:
        if self.thread is None:
            with without_green_waits():
                self.cursor.copy_expert(self.statement, io.StringIO(text))
        else:
            self.pieces.put(text)

    def end(self) -> None:
        self.open = False
        if self.thread is not None:
            self.pieces.put(END)

    def close(self, abandon: bool = False) -> None:
        if self.open:
            self.end()
        if self.thread is not None:
            self.pieces.put(None)
            self.thread.join()
            self.thread = None
        if self.error is not None and not abandon:
            raise self.error


def set_indexes_aside(cursor: Any, table: str) -> list[str]:
    """Drop `table`'s indexes and key constraints (in this transaction); returns the
    statements that make them again, as the database defines them now."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid = %s::regclass AND contype IN ('p', 'u')",
        (table,),
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index"
        " WHERE indrelid = %s::regclass AND indexrelid NOT IN"
        " (SELECT conindid FROM pg_constraint WHERE conrelid = %s::regclass)",
        (table, table),
    )
    indexes = cursor.fetchall()
    again = [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}' for name, definition in constraints]
    again += [definition for _, definition in indexes]
    for name, _ in constraints:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {name}")
    return again
