"""Settings: the fingerprint of the defaults pinned, every field validated, and an index of older
settings refused with what to do."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from reuse.errors import IndexStoreError, SettingsError
from reuse.index import add_documents, open_index
from reuse.load.document import from_text
from reuse.settings import ALGORITHM_VERSION, FIELDS, Settings, fingerprint_of

PINNED_FINGERPRINT = "e410c32f46fbc3ff"
PINNED_ALGORITHM = 5


def test_the_fingerprint_of_the_defaults_is_pinned() -> None:
    """A default changed, a field added or removed, or the algorithm version raised, changes every
    report's fingerprint and makes every index built before refuse to mix with what this code makes."""
    assert (Settings().fingerprint(), ALGORITHM_VERSION) == (PINNED_FINGERPRINT, PINNED_ALGORITHM), (
        "The settings' defaults or fields changed, so output may change and existing indexes no longer "
        "match: if that is deliberate, raise ALGORITHM_VERSION in reuse/settings.py, then update "
        "PINNED_FINGERPRINT and PINNED_ALGORITHM here (and README's 'How the defaults were chosen' if a "
        "default moved)."
    )


def test_every_field_changes_the_fingerprint() -> None:
    default = Settings()
    seen = {default.fingerprint()}
    for field in dataclasses.fields(Settings):
        value = getattr(default, field.name)
        if isinstance(value, bool):
            other: Any = not value
        elif field.name == "script":
            other = "none"
        elif field.name == "unit":
            other = "paragraph"
        elif field.name == "align_segmenter":
            other = "jieba"
        elif isinstance(value, float):
            other = value / 2
        else:
            other = value + 1
        changes = {field.name: other}
        if field.name in ("bands", "rows"):  # bands × rows must stay within num_perm
            changes["num_perm"] = 4 * default.bands * default.rows
        seen.add(default.replace(**changes).fingerprint())
    assert len(seen) == len(FIELDS) + 1


def test_equal_numbers_give_equal_fingerprints() -> None:
    assert Settings(reused_coverage=1).fingerprint() == Settings(reused_coverage=1.0).fingerprint()
    assert Settings(near_similarity=80).as_dict() == Settings().as_dict()


BAD: list[tuple[str, object, str]] = [
    ("script", "latin", "script must be one of tw2sp, t2s, hk2s, none"),
    ("unit", "word", "unit must be one of sentence, paragraph"),
    ("casefold", 1, "casefold must be True or False"),
    ("mask_digits", "yes", "mask_digits must be True or False"),
    ("strip_markup", None, "strip_markup must be True or False"),
    ("mask_urls", 0, "mask_urls must be True or False"),
    ("seed", 1.5, "seed must be a whole number"),
    ("max_gap", -1, "max_gap must be 0 or more"),
    ("max_slots", -1, "max_slots must be 0 or more"),
    ("edge_top", -1, "edge_top must be 0 or more"),
    ("edge_bottom", 0.5, "edge_bottom must be 0 or more"),
    ("title_lines", -3, "title_lines must be 0 or more"),
    ("near_similarity", 0, r"near_similarity is a rapidfuzz ratio in \(0, 100\]"),
    ("near_similarity", 101, r"near_similarity is a rapidfuzz ratio in \(0, 100\]"),
    ("edit_similarity", 0, r"edit_similarity is a rapidfuzz ratio in \(0, 100\]"),
    ("edit_similarity", 101, r"edit_similarity is a rapidfuzz ratio in \(0, 100\]"),
    *[
        (name, value, f"{name} must be a positive whole number")
        for name in (
            "max_clause",
            "k_han",
            "k_word",
            "num_perm",
            "bands",
            "rows",
            "max_shingle_group",
            "min_shared_shingles",
            "band_cap",
            "key_cap",
            "max_candidates",
            "min_span",
            "min_whole",
            "min_block",
            "max_seed",
            "max_lsh_bucket",
            "slot_tokens",
            "min_frame",
            "edit_min_tokens",
            "template_members",
            "context_max_chars",
            "furniture_min_docs",
            "furniture_max_docs",
            "mixed_min_chars",
            "align_fragment",
            "align_piece",
            "align_opening_piece",
            "align_new_terms",
            "near_candidate_values",
        )
        for value in (0, 2.5, True)
    ],
    *[
        (name, value, rf"{name} must be in \(0, 1\]")
        for name in (
            "reused_coverage",
            "furniture_share",
            "same_place",
            "headline_share",
            "stray_share",
            "strong_share",
            "near_duplicate",
            "mixed_minority",
            "align_partial",
            "align_attach",
            "align_reorder_score",
            "near_candidate_margin",
        )
        for value in (0, 1.5, "half")
    ],
    ("align_segmenter", "words", "align_segmenter must be one of longest, jieba"),
    *[
        (name, value, f"{name} must be a number above 0")
        for name in (
            "align_length_ratio",
            "align_length_variance",
            "align_length_weight",
            "align_score_weight",
            "align_gap_deviation",
        )
        for value in (0, -1.0, "2")
    ],
    *[
        (name, value, f"{name} must be 0 or more")
        for name in ("align_link_cost", "align_merge_cost")
        for value in (-0.5, "1")
    ],
]


@pytest.mark.parametrize(("name", "value", "message"), BAD, ids=[f"{n}={v!r}" for n, v, _ in BAD])
def test_a_bad_value_is_refused_with_its_name(name: str, value: Any, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings(**{name: value})


def test_every_field_is_validated() -> None:
    assert {name for name, _, _ in BAD} == set(FIELDS)


def test_settings_that_contradict_each_other_say_what_to_change() -> None:
    with pytest.raises(SettingsError, match="lower bands or rows, or raise num_perm"):
        Settings(bands=64, rows=4)
    with pytest.raises(SettingsError, match="lower the first or raise the second"):
        Settings(furniture_min_docs=60)


def _built(tmp_path: Path) -> str:
    path = str(tmp_path / "idx.sqlite")
    with open_index(path, "create", Settings()) as store:
        add_documents(store, [from_text("中俄两国元首举行会谈，双方同意深化全面战略协作伙伴关系。", "a")], jobs=1)
    return path


def _rewrite_meta(path: str, values: dict[str, object], **meta: str) -> None:
    db = sqlite3.connect(path)
    with db:
        db.execute("UPDATE meta SET value = ? WHERE name = 'settings'", (json.dumps(values, sort_keys=True),))
        for name, value in meta.items():
            db.execute("UPDATE meta SET value = ? WHERE name = ?", (value, name))
    db.close()


def test_an_index_of_older_settings_is_refused_with_the_rebuild_message(tmp_path: Path) -> None:
    """An index written before a field was added stores neither the field nor this fingerprint."""
    path = _built(tmp_path)
    older = {k: v for k, v in Settings().as_dict().items() if k not in ("max_clause", "band_cap")}
    _rewrite_meta(path, older, fingerprint=fingerprint_of(older, 2), algorithm_version="2")
    with pytest.raises(IndexStoreError) as refused:
        open_index(path)
    message = str(refused.value)
    assert message.startswith(f"{path}: index built with other settings or by another algorithm version")
    assert "settings it lacks: max_clause, band_cap" in message
    assert f"algorithm 2; this reuse has algorithm {ALGORITHM_VERSION}" in message
    assert message.endswith("build the index again with `reuse index build --force`")
    assert "corrupt" not in message


def test_an_index_with_a_setting_this_reuse_does_not_know_is_refused_the_same_way(tmp_path: Path) -> None:
    path = _built(tmp_path)
    newer = {**Settings().as_dict(), "cluster_threshold": 0.7}
    _rewrite_meta(path, newer, fingerprint=fingerprint_of(newer, ALGORITHM_VERSION + 1))
    with pytest.raises(IndexStoreError, match=r"settings this reuse does not know: cluster_threshold\); build"):
        open_index(path)


def test_a_dropped_setting_is_refused_even_when_the_fingerprint_agrees(tmp_path: Path) -> None:
    path = _built(tmp_path)
    _rewrite_meta(path, {k: v for k, v in Settings().as_dict().items() if k != "min_frame"})
    with pytest.raises(IndexStoreError, match="settings it lacks: min_frame"):
        open_index(path)


@pytest.mark.parametrize("stored", ["{damaged", "[1, 2]", json.dumps({**Settings().as_dict(), "k_han": 0})])
def test_unreadable_settings_are_corrupt(tmp_path: Path, stored: str) -> None:
    path = _built(tmp_path)
    db = sqlite3.connect(path)
    with db:
        db.execute("UPDATE meta SET value = ? WHERE name = 'settings'", (stored,))
    db.close()
    with pytest.raises(IndexStoreError, match="corrupt index: its settings cannot be read"):
        open_index(path)


def test_an_index_of_these_settings_opens(tmp_path: Path) -> None:
    with open_index(_built(tmp_path)) as store:
        assert store.settings == Settings()


def test_near_candidate_values_fit_in_the_signature() -> None:
    with pytest.raises(SettingsError, match=r"near_candidate_values \(200\) must not exceed num_perm \(128\)"):
        Settings(near_candidate_values=200)
