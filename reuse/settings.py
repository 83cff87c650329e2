"""One frozen settings object carries every parameter of the pipeline, with a stable fingerprint."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import Any, Literal

from reuse.errors import SettingsError

Script = Literal["tw2sp", "t2s", "hk2s", "none"]
Unit = Literal["sentence", "paragraph"]

SCRIPTS: tuple[str, ...] = ("tw2sp", "t2s", "hk2s", "none")
UNITS: tuple[str, ...] = ("sentence", "paragraph")

# Bumped whenever a change to the code changes what the same settings produce (normalization tables,
# tokenization, hashing), and whenever a field is added: part of the fingerprint, so that an index
# built before refuses to mix with what this code makes. 3: the constants of diff, scan, audit and the
# index query became fields. 4: boilerplate decided member by member, on repetition, how lines end and
# the page's structure (stray_share, strong_share); a long line edited joins its source's family
# (edit_similarity, edit_min_tokens); short lines between furniture are furniture (context_max_chars).
ALGORITHM_VERSION = 5


# Defaults of two per-call options of an index look-up. Not Settings fields: an index is built once and
# asked with either value, and neither changes what it holds (the reports state both).
MAX_MATCHES = 10
"""Matches reported per passage (the best ones); `documents` still counts them all (--max-matches)."""
BOILERPLATE_MIN_DOCS = 10
"""Indexed documents holding a passage from which on it counts as boilerplate (--boilerplate-min-docs)."""


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Every parameter that changes what the pipeline outputs, stage by stage.

    The defaults were chosen by measurement on the labelled fixtures (see README, "How the
    defaults were chosen"). A constant left in a module changes speed or memory, never output.
    """

    # Normalization
    script: Script = "tw2sp"
    """OpenCC conversion applied before matching; 'none' keeps the script as written."""
    casefold: bool = True
    mask_digits: bool = True
    """Fold every run of digits to one placeholder so that dates, times and counts align."""
    strip_markup: bool = True
    """Treat HTML tags and entities left in scraped text as furniture, not words."""
    mask_urls: bool = True
    """Let any URL match any URL: links are slots of templates, like digits."""
    max_clause: int = 512
    """Longest run of characters converted as one clause when a phrase conversion changes the length:
    longer runs without punctuation or space are cut there (a phrase across the cut converts by halves)."""

    # Segmentation
    unit: Unit = "sentence"

    # Shingling and signatures
    k_han: int = 4
    """Shingle size, in tokens, of a window that starts at a Han character."""
    k_word: int = 3
    """Shingle size, in tokens, of a window that starts at a word."""
    num_perm: int = 128
    bands: int = 32
    rows: int = 4
    seed: int = 1

    # Candidates of a diff
    max_shingle_group: int = 64
    """A shingle in more reference passages than this seeds no candidates: a stop phrase."""
    min_shared_shingles: int = 2
    """Distinct shingles two passages must share to be candidates (or all the target passage has)."""

    # Candidates of an index query
    band_cap: int = 64
    """Passages fetched per LSH bucket: enough to find the closest ones, bounded whatever the index size."""
    key_cap: int = 16
    """Passages fetched per exact key (how many documents hold it is counted, not fetched)."""
    max_candidates: int = 32
    """Candidates verified per passage: exact ones first, then by the number of bands they share."""

    # Verification
    min_span: int = 10
    """Smallest reused span, in weight units: a Han character weighs 1, a word weighs 2."""
    min_whole: int = 6
    """Smallest passage (same units) that counts as reused when found whole inside a longer one."""
    max_gap: int = 0
    """Most characters replaced one for one (a variant spelling or character) inside one reused span."""
    reused_coverage: float = 0.9
    """Share of a passage's characters that must be reused for the whole passage to count as reused."""
    min_block: int = 2
    """Shortest block of rapidfuzz's alignment kept (characters); shorter ones are chance agreement."""
    max_seed: int = 4
    """Longest exact seed (characters) looked for besides the alignment; shorter when min_span or
    min_whole require it (a span of weight w has at least w − 1 characters)."""

    # Families of a scan: near-duplicate lines and sentences
    max_lsh_bucket: int = 200
    """Units in one LSH bucket beyond which the bucket is skipped: too common a band to say anything."""
    near_similarity: float = 80.0
    """Token-level rapidfuzz ratio (0–100) from which two lines may be one template with different slots."""
    max_slots: int = 2
    """Most runs of differing tokens (slots: a name, a place) two lines of one template have."""
    slot_tokens: int = 3
    """Most tokens in one slot."""
    min_frame: int = 8
    """Fewest equal tokens around the slots of two lines of one template."""
    edit_similarity: float = 90.0
    """Token-level rapidfuzz ratio (0–100) from which two long lines that differ beyond slots are one line
    edited (a copy's typos and corrections), and one family."""
    edit_min_tokens: int = 20
    """Fewest tokens of both lines for edit_similarity to join them: short lines alike are templates or
    chance."""
    template_members: int = 20
    """Members beyond the first compared to find a family's slots (its template text)."""

    # Families of a scan: kinds
    furniture_share: float = 0.3
    """Share of the corpus's documents a recurring open line must be in to count as site furniture."""
    furniture_min_docs: int = 3
    """Fewest documents a furniture line (or a fused dateline span) is in, whatever the corpus size."""
    furniture_max_docs: int = 50
    """Documents that suffice for a furniture line when most copies stand on the same line of their pages."""
    same_place: float = 0.8
    """Share of a line's copies that must stand on the same line of their pages (from top or bottom)."""
    edge_top: int = 1
    edge_bottom: int = 1
    """Lines counted as a page's top and bottom edge: a line repeated there in every page it is on is
    furniture (a slogan, a breadcrumb, a footer)."""
    headline_share: float = 0.5
    """Share of a family's members that are headlines (the same words in other dress on their page)
    from which the family is reused content, not furniture."""
    stray_share: float = 0.05
    """Most share of a family of open lines that may end a sentence and the family still be furniture
    (those members are content); of a family of labels (问：) that may not end as a label."""
    context_max_chars: int = 40
    """Longest line (in characters) that standing between furniture lines makes furniture (group.context)."""
    strong_share: float = 0.5
    """Share of the corpus's documents from which a furniture line's repetition outweighs a page's
    structure that places it inside the main content."""

    # Audit
    near_duplicate: float = 0.8
    """Estimated Jaccard similarity of two documents' shingles from which they are near duplicates."""
    near_candidate_values: int = 32
    """The first values of each document's MinHash that scan compares (in bands of `rows`) to find
    candidate near-duplicate documents, which their whole signatures then confirm."""
    near_candidate_margin: float = 0.25
    """How far below near_duplicate the share of equal first values may be for a candidate to be confirmed
    (3.5 standard deviations of that share, at 32 values and a similarity of 0.8)."""
    title_lines: int = 3
    """Top lines of a page not checked for fragments: titles and bylines end without punctuation."""
    mixed_minority: float = 0.05
    """Share of a document's script-specific Han characters that must be in the other script to call it mixed."""
    mixed_min_chars: int = 3
    """Fewest characters of the other script that make a document mixed."""

    # Align (Chinese with English)
    align_segmenter: str = "longest"
    """How Chinese is cut into words for the dictionary: "longest" (longest match on CC-CEDICT) or "jieba"."""
    align_length_ratio: float = 4.3
    """English characters a translation has per Chinese character (the length model's mean)."""
    align_length_variance: float = 29.0
    """Variance of a translation's English length per Chinese character (the length model's spread)."""
    align_length_weight: float = 0.25
    """What a link pays per unit of its length model's log-improbability."""
    align_score_weight: float = 8.0
    """What a link gains per unit of its dictionary score (cosine of terms, 0 to 1)."""
    align_link_cost: float = 0.5
    """What every link pays: the least evidence a link must bring."""
    align_merge_cost: float = 0.3
    """What a link pays for each passage beyond one a side (1–2 once, 2–2 and 1–3 twice)."""
    align_attach: float = 0.4
    """Share of a left-out English passage's terms found in a neighbouring link's Chinese from which it joins
    the link (links of three passages or more on a side)."""
    align_fragment: int = 4
    """Chinese passages of at most this many characters (a label, a question cut in pieces) join the link
    beside them."""
    align_new_terms: int = 3
    """A Chinese passage beside a link joins it when it renders this many terms of the link's English that
    the link's Chinese does not (and a twelfth of its own terms)."""
    align_piece: int = 8
    """A passage of at most this many characters that continues the one before it (which ends no sentence)
    is aligned with it as one unit: a sentence the page's markup cut into lines (… / 的问题。)."""
    align_opening_piece: int = 3
    """A passage of at most this many characters that ends no sentence is aligned as one unit with the
    passage after it (关于 / 中美经贸第一阶段协议 …); a longer one is a line of its own (打印本页)."""
    align_reorder_score: float = 0.45
    """Dictionary score from which passages the monotone alignment left out are linked across the others
    (a lead or a caption the English puts elsewhere)."""
    align_gap_deviation: float = 2.0
    """A Chinese and an English passage alone between two links are linked when their lengths agree within
    this many deviations of the length model."""
    align_partial: float = 0.5
    """A passage is partial when its counterparts are shorter than this share of a translation of it."""

    def __post_init__(self) -> None:
        if self.script not in SCRIPTS:
            raise SettingsError(f"script must be one of {', '.join(SCRIPTS)}, not {self.script!r}")
        if self.unit not in UNITS:
            raise SettingsError(f"unit must be one of {', '.join(UNITS)}, not {self.unit!r}")
        for name in _SWITCHES:
            value = getattr(self, name)
            if not isinstance(value, bool):
                raise SettingsError(f"{name} must be True or False, not {value!r}")
        if not _is_int(self.seed):
            raise SettingsError(f"seed must be a whole number, not {self.seed!r}")
        for name in _POSITIVE:
            value = getattr(self, name)
            if not _is_int(value) or value < 1:
                raise SettingsError(f"{name} must be a positive whole number, not {value!r}")
        for name in _NATURAL:
            value = getattr(self, name)
            if not _is_int(value) or value < 0:
                raise SettingsError(f"{name} must be 0 or more, not {value!r}")
        for name in _SHARES:
            value = getattr(self, name)
            if not _is_number(value) or not 0.0 < value <= 1.0:
                raise SettingsError(f"{name} must be in (0, 1], not {value!r}")
            # 1 and 1.0 are the same setting: one JSON spelling, one fingerprint.
            object.__setattr__(self, name, float(value))
        for ratio in ("near_similarity", "edit_similarity"):
            value = getattr(self, ratio)
            if not _is_number(value) or not 0.0 < value <= 100.0:
                raise SettingsError(f"{ratio} is a rapidfuzz ratio in (0, 100], such as 80, not {value!r}")
            object.__setattr__(self, ratio, float(value))
        if self.align_segmenter not in SEGMENTERS:
            raise SettingsError(f"align_segmenter must be one of {', '.join(SEGMENTERS)}, not {self.align_segmenter!r}")
        for name in _POSITIVE_NUMBERS:
            value = getattr(self, name)
            if not _is_number(value) or not value > 0:
                raise SettingsError(f"{name} must be a number above 0, not {value!r}")
            object.__setattr__(self, name, float(value))
        for name in ("align_link_cost", "align_merge_cost"):
            value = getattr(self, name)
            if not _is_number(value) or value < 0:
                raise SettingsError(f"{name} must be 0 or more, not {value!r}")
            object.__setattr__(self, name, float(value))
        if self.near_candidate_values > self.num_perm:
            raise SettingsError(
                f"near_candidate_values ({self.near_candidate_values}) must not exceed num_perm ({self.num_perm})"
            )
        if self.bands * self.rows > self.num_perm:
            raise SettingsError(
                f"bands × rows ({self.bands} × {self.rows} = {self.bands * self.rows}) must not exceed "
                f"num_perm ({self.num_perm}): lower bands or rows, or raise num_perm"
            )
        if self.furniture_min_docs > self.furniture_max_docs:
            raise SettingsError(
                f"furniture_min_docs ({self.furniture_min_docs}) must not exceed furniture_max_docs "
                f"({self.furniture_max_docs}): lower the first or raise the second"
            )

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)

    def fingerprint(self) -> str:
        """A short stable key: equal for settings that produce the same signatures and reports."""
        return fingerprint_of(self.as_dict(), ALGORITHM_VERSION)


def fingerprint_of(values: dict[str, Any], algorithm: int) -> str:
    """The fingerprint of settings values under an algorithm version (an index stores it to compare)."""
    payload = json.dumps({"algorithm": algorithm, **values}, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Settings))

_SWITCHES = ("casefold", "mask_digits", "strip_markup", "mask_urls")
_POSITIVE = (
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
_NATURAL = ("max_gap", "max_slots", "edge_top", "edge_bottom", "title_lines")
_SHARES = (
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
_POSITIVE_NUMBERS = (
    "align_length_ratio",
    "align_length_variance",
    "align_length_weight",
    "align_score_weight",
    "align_gap_deviation",
)
SEGMENTERS = ("longest", "jieba")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
