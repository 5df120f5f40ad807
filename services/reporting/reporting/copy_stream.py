"""One COPY ... FROM STDIN fed while its rows are still being made.

A thread sends the text to PostgreSQL (psycopg2 lets go of the GIL while it waits on
the socket), so the server stores facts on one core while Python reads and decodes the
logs on the other. In a green (eventlet) process there is no second thread to speak
of: each piece is copied at once instead.
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

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor
        self.green = psycopg2.extensions.get_wait_callback() is not None
        self.error: BaseException | None = None
        self.statement, self.open = "", False
        self.pieces: queue.Queue[Any] = queue.Queue(maxsize=16)
        self.thread: threading.Thread | None = None
        if not self.green:
            self.thread = threading.Thread(target=self._send, name="copy", daemon=True)
            self.thread.start()

    def _send(self) -> None:
        while (statement := self.pieces.get()) is not None:
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
