from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CORPUS = ROOT.parent / "shared" / "corpora" / "xinwenlianbo"
SEED_FILES = sorted(p.name for p in SEEDS.glob("*.txt"))


def seed(name_prefix: str) -> Path:
    return next(SEEDS.glob(f"{name_prefix}_*.txt"))


@pytest.fixture
def chdir_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(ROOT)
    return ROOT


def needs_corpus() -> pytest.MarkDecorator:
    return pytest.mark.skipif(
        not CORPUS.is_dir(), reason=f"development corpus not found at {os.path.relpath(CORPUS)} (a fresh clone has no ../shared)"
    )
