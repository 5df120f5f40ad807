"""The catalogue is data with a version, validated when it is loaded."""

from __future__ import annotations

import json

import pytest

from sessions.domain import Catalogue, CatalogueInvalid, load_catalogue


def test_the_shipped_catalogue_has_the_27_manifestations_the_19_prohibitions_and_5_review_areas():
    catalogue = load_catalogue()

    codes = [item.code for item in catalogue.items]
    assert catalogue.version == "2024.1"
    assert codes[:27] == [f"NQ04-{n}" for n in range(1, 28)]
    assert codes[27:46] == [f"QD37-{n}" for n in range(1, 20)]
    assert codes[46:] == ["RA-POLITICS", "RA-ETHICS", "RA-DUTIES", "RA-DISCIPLINE", "RA-EXAMPLE"]
    groups = {item.code: item.group for item in catalogue.items}
    assert groups["NQ04-9"] == "NQ04-I" and groups["NQ04-10"] == "NQ04-II"
    assert groups["NQ04-18"] == "NQ04-II" and groups["NQ04-19"] == "NQ04-III"


def test_labels_not_known_yet_say_so(tmp_path):
    # A file of its own: the shipped labels change when an operator loads the official texts.
    placeholder = "(label to be loaded from the official text)"
    path = tmp_path / "catalogue-partial.json"
    path.write_text(
        json.dumps(
            {
                "version": "2024.1-partial",
                "groups": [{"id": "QD37", "source": "Quy định 37-QĐ/TW", "label": "Prohibitions"}],
                "items": [
                    {"code": "QD37-14", "group": "QD37", "label": "embezzlement and bribery"},
                    {"code": "QD37-5", "group": "QD37", "label": placeholder, "label_vi": None},
                ],
            }
        ),
        encoding="utf-8",
    )

    catalogue = load_catalogue(path)

    assert catalogue.item("QD37-14").label == "embezzlement and bribery"
    assert (catalogue.item("QD37-5").label, catalogue.item("QD37-5").label_vi) == (placeholder, None)
    assert catalogue.require_known(["QD37-5"]) == ("QD37-5",)  # still a code shortcomings may cite


def good_document() -> dict:
    return {
        "version": "2025.1",
        "groups": [{"id": "QD37", "source": "Quy định 37-QĐ/TW", "label": "Prohibitions"}],
        "items": [{"code": "QD37-1", "group": "QD37", "label": "acting against the Charter"}],
    }


def test_an_operator_may_point_the_service_at_another_catalogue_file(tmp_path):
    path = tmp_path / "catalogue-2025.1.json"
    path.write_text(json.dumps(good_document()), encoding="utf-8")

    catalogue = load_catalogue(path)

    assert catalogue.version == "2025.1"
    assert catalogue.require_known(["QD37-1"]) == ("QD37-1",)


@pytest.mark.parametrize(
    ("spoil", "words"),
    [
        (lambda d: d.pop("version"), "'version'"),
        (lambda d: d["items"].append(dict(d["items"][0])), "item code repeated: QD37-1"),
        (lambda d: d["items"][0].update(group="QD99"), "group 'QD99'"),
        (lambda d: d["items"][0].update(code="QD37 1"), "malformed code"),
        (lambda d: d["items"][0].update(label=""), "'label'"),
        (lambda d: d.update(items=[]), "'items' must be a non-empty list"),
    ],
)
def test_a_malformed_catalogue_is_refused(spoil, words):
    document = good_document()
    spoil(document)
    with pytest.raises(CatalogueInvalid) as refused:
        Catalogue.from_document(document)
    assert words in refused.value.message


def test_an_unreadable_or_non_json_file_is_refused(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(CatalogueInvalid):
        load_catalogue(broken)
    with pytest.raises(CatalogueInvalid):
        load_catalogue(tmp_path / "missing.json")
