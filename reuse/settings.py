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

# Bumped whenever a change to the code changes what the same settings produce
# (normalization tables, tokenization, hashing): part of the fingerprint.
ALGORITHM_VERSION = 2


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Every parameter of normalization, segmentation, signing and verification.

    The defaults were chosen by measurement on the labelled fixtures (see README, "How the
    defaults were chosen").
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

    # Verification
    min_span: int = 10
    """Smallest reused span, in weight units: a Han character weighs 1, a word weighs 2."""
    min_whole: int = 6
    """Smallest passage (same units) that counts as reused when found whole inside a longer one."""
    max_gap: int = 0
    """Most characters replaced one for one (a variant spelling or character) inside one reused span."""
    reused_coverage: float = 0.9
    """Share of a passage's characters that must be reused for the whole passage to count as reused."""

    def __post_init__(self) -> None:
        if self.script not in SCRIPTS:
            raise SettingsError(f"script must be one of {', '.join(SCRIPTS)}, not {self.script!r}")
        if self.unit not in UNITS:
            raise SettingsError(f"unit must be one of {', '.join(UNITS)}, not {self.unit!r}")
        for name in ("k_han", "k_word", "num_perm", "bands", "rows", "min_span", "min_whole"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise SettingsError(f"{name} must be a positive whole number, not {value!r}")
        if self.max_gap < 0:
            raise SettingsError(f"max_gap must be 0 or more, not {self.max_gap!r}")
        if self.bands * self.rows > self.num_perm:
            raise SettingsError(
                f"bands × rows ({self.bands} × {self.rows} = {self.bands * self.rows}) must not exceed "
                f"num_perm ({self.num_perm}): lower bands or rows, or raise num_perm"
            )
        if not 0.0 < self.reused_coverage <= 1.0:
            raise SettingsError(f"reused_coverage must be in (0, 1], not {self.reused_coverage!r}")

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)

    def fingerprint(self) -> str:
        """A short stable key: equal for settings that produce the same signatures and reports."""
        payload = json.dumps({"algorithm": ALGORITHM_VERSION, **self.as_dict()}, sort_keys=True)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]
