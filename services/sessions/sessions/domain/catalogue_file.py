"""Reading the catalogue file an operator points the service at."""

from __future__ import annotations

import json
from pathlib import Path

from .catalogue import Catalogue, CatalogueInvalid

# The catalogue shipped with the service; operators may point the service elsewhere.
DEFAULT_CATALOGUE_PATH = Path(__file__).resolve().parents[1] / "catalogue" / "catalogue-2024.1.json"


def load_catalogue(path: str | Path = DEFAULT_CATALOGUE_PATH) -> Catalogue:
    """Read and validate a catalogue file; a missing or malformed file is refused."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise CatalogueInvalid(
            f"Catalogue file {path} cannot be read: {error.strerror}.",
            None,
            "CatalogueMustBeReadable",
        ) from error
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise CatalogueInvalid(
            f"Catalogue file {path} is not valid JSON: {error.msg} at line {error.lineno}.",
            None,
            "CatalogueMustBeWellFormed",
        ) from error
    return Catalogue.from_document(document)
