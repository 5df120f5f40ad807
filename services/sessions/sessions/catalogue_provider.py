"""The shortcoming catalogue as a nameko dependency: loaded once, when the service starts."""

from __future__ import annotations

from nameko.containers import WorkerContext
from nameko.extensions import DependencyProvider

from sessions.domain import DEFAULT_CATALOGUE_PATH, Catalogue, load_catalogue


class ShortcomingCatalogue(DependencyProvider):
    """Reads `CATALOGUE_PATH` (default: the catalogue shipped with the service).

    A missing or malformed file stops the service from starting: shortcomings must
    never be checked against a catalogue nobody can name.
    """

    def setup(self) -> None:
        path = self.container.config.get("CATALOGUE_PATH") or DEFAULT_CATALOGUE_PATH
        self.catalogue = load_catalogue(path)

    def get_dependency(self, worker_ctx: WorkerContext) -> Catalogue:
        return self.catalogue
