"""What the README promises and no other test held it to: options, environment, JSON keys, Markdown, Settings.

Each test runs the command as a user would (click's CliRunner, from the project root) and checks the
output against what the README says the option does, not against a recording of the output.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from markdown_it import MarkdownIt

from reuse.errors import SettingsError
from reuse.settings import Settings

SEED0 = "seeds/000_72809ab1e56e2c9e.txt"
SEED1 = "seeds/001_663fe8751431e96d.txt"
SEED4 = "seeds/004_1be1cfc6bdf062d7.txt"
OTHERS = [SEED1, "seeds/002_cbc67faf9157e332.txt", "seeds/003_b1f2f82659ca7572.txt", SEED4]


def ok(result: Any) -> str:
    assert result.exit_code == 0, result.output
    return str(result.output)


def as_json(result: Any) -> Any:
    return json.loads(ok(result))


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def render(markdown: str) -> Any:
    return lxml.html.fragment_fromstring(MarkdownIt("gfm-like").render(markdown), create_parent="div")


def rows(table: Any) -> list[list[str]]:
    return [[td.text_content() for td in tr.findall("td")] for tr in table.iter("tr") if tr.findall("td")]


@pytest.fixture
def index(run, tmp_path: Path) -> str:  # type: ignore[no-untyped-def]
    path = str(tmp_path / "idx.sqlite")
    ok(run("index", "build", *OTHERS, "--index", path))
    return path


# ---- diff: --unit, --mask-digits, the JSON keys ----


def test_unit_paragraph_makes_each_paragraph_one_passage(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = as_json(run("diff", SEED4, SEED0, "--unit", "paragraph", "--format", "json"))
    lines = [line.strip() for line in (Path(SEED0)).read_text(encoding="utf-8").splitlines() if line.strip()]
    assert [p["text"] for p in data["passages"]] == lines  # a seed's paragraphs are its lines
    assert data["settings"]["unit"] == "paragraph"
    sentences = as_json(run("diff", SEED4, SEED0, "--format", "json"))
    assert sentences["summary"]["passages"] > len(lines)
    # One sentence of a two-sentence paragraph is reused: per sentence reused + new, per paragraph partial.
    old = write(tmp_path / "old.txt", "新华社北京1月21日电。两国元首互致新年祝福。\n")
    new = write(tmp_path / "new.txt", "新华社北京1月21日电。双方就共同关心的国际和地区问题深入交换意见。\n")
    by_sentence = as_json(run("diff", old, new, "--format", "json"))["passages"]
    assert [p["status"] for p in by_sentence] == ["reused", "new"]
    (paragraph,) = as_json(run("diff", old, new, "--unit", "paragraph", "--format", "json"))["passages"]
    assert paragraph["status"] == "partial" and paragraph["text"] == Path(new).read_text(encoding="utf-8").strip()
    ((start, end),) = paragraph["spans"]
    assert paragraph["text"][start:end] == "新华社北京1月21日电"


def test_no_mask_digits_makes_numbers_match_exactly(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    old = write(
        tmp_path / "old.txt", "2025年1月21日下午，国家主席习近平在北京人民大会堂同俄罗斯总统普京举行视频会晤。\n"
    )
    new = write(
        tmp_path / "new.txt", "2024年5月8日下午，国家主席习近平在北京人民大会堂同俄罗斯总统普京举行视频会晤。\n"
    )
    (masked,) = as_json(run("diff", old, new, "--format", "json"))["passages"]
    assert (masked["status"], masked["coverage"]) == ("reused", 1.0)
    exact = as_json(run("diff", old, new, "--no-mask-digits", "--format", "json"))
    assert exact["settings"]["mask_digits"] is False
    (passage,) = exact["passages"]
    assert passage["status"] == "partial"  # the date differs; the rest is still found
    ((start, end),) = passage["spans"]
    assert (
        passage["text"][start:end] == "日下午，国家主席习近平在北京人民大会堂同俄罗斯总统普京举行视频会晤"
    )  # no digit
    assert as_json(run("diff", old, old, "--no-mask-digits", "--format", "json"))["passages"][0]["status"] == "reused"


def normalized_length(text: str) -> int:
    """Characters as coverage counts them, near enough: letters, and each run of digits as one."""
    return len(re.sub(r"[\W_]", "", re.sub(r"\d+", "0", text)))


@pytest.mark.parametrize(("old", "new"), [(SEED4, SEED0), (SEED1, "seeds/003_b1f2f82659ca7572.txt")])
def test_diff_json_coverage_spans_and_dropped(run, old: str, new: str) -> None:  # type: ignore[no-untyped-def]
    data = as_json(run("diff", old, new, "--format", "json"))
    text = Path(new).read_text(encoding="utf-8")
    threshold = Settings().reused_coverage
    seen = Counter(p["status"] for p in data["passages"])
    assert seen["reused"] and seen["partial"] and seen["new"]  # every branch below is exercised
    for p in data["passages"]:
        assert 0.0 <= p["coverage"] <= 1.0
        if p["status"] == "new":
            assert (p["coverage"], p["spans"], p["matches"]) == (0.0, [], [])
            continue
        assert p["matches"] and p["spans"]
        for start, end in p["spans"] + [s for m in p["matches"] for s in m["spans"]]:
            assert p["start"] <= start < end <= p["end"]
        # A passage's spans are exactly what its matches found, merged.
        found = sorted(tuple(s) for m in p["matches"] for s in m["spans"])
        if p["status"] == "reused":
            assert p["coverage"] >= threshold and p["spans"] == [[p["start"], p["end"]]]
        else:
            assert 0.0 < p["coverage"] < threshold
            covered = set().union(*(range(s, e) for s, e in found))
            assert covered == set().union(*(range(s, e) for s, e in p["spans"]))
            # Coverage is the share of normalized characters in the spans, rounded to 4 decimals.
            share = sum(normalized_length(text[s:e]) for s, e in p["spans"]) / normalized_length(p["text"])
            assert abs(share - p["coverage"]) <= 1e-4, (p["text"], share, p["coverage"])
    # dropped: the OLD passages that no NEW passage matched, counted in the summary.
    old_passages = as_json(run("diff", new, old, "--format", "json"))["summary"]["passages"]
    matched = {m["index"] for p in data["passages"] for m in p["matches"]}
    old_text = Path(old).read_text(encoding="utf-8")
    assert [d["index"] for d in data["dropped"]] == sorted(set(range(old_passages)) - matched)
    assert data["summary"]["dropped"] == len(data["dropped"]) > 0
    assert all(old_text[d["start"] : d["end"]] == d["text"] and d["status"] == "dropped" for d in data["dropped"])


# ---- scan: --limit, Markdown ----


@pytest.mark.parametrize("limit", [3, 8])
def test_scan_limit_shows_that_many_families_and_says_how_many_more(run, limit: int) -> None:  # type: ignore[no-untyped-def]
    families = as_json(run("scan", "seeds", "--format", "json"))["families"]
    assert len(families) > limit
    output = ok(run("scan", "seeds", "--limit", str(limit)))
    shown = [line.split()[0] for line in output.splitlines() if re.match(r"F\d+ ", line)]
    assert shown == [f["id"] for f in families[:limit]]
    assert f"… {len(families) - limit} more families (--limit, or --format json for all)" in output.splitlines()
    documents = 5
    assert (f"… {documents - limit} more documents" in output.splitlines()) == (limit < documents)
    everything = ok(run("scan", "seeds", "--limit", str(len(families))))
    assert "more families" not in everything and "more documents" not in everything
    markdown = ok(run("scan", "seeds", "--format", "markdown", "--limit", str(limit)))
    rows = [line.split("|")[1].strip() for line in markdown.splitlines() if re.match(r"\| F\d+ ", line)]
    assert rows == [f["id"] for f in families[:limit]]
    assert f"… {len(families) - limit} more families (--limit, or --format json for all)" in markdown.splitlines()
    assert (f"… {documents - limit} more documents" in markdown.splitlines()) == (limit < documents)


def test_scan_markdown_says_what_the_json_says(run) -> None:  # type: ignore[no-untyped-def]
    data = as_json(run("scan", "seeds", "--format", "json"))
    root = render(ok(run("scan", "seeds", "--format", "markdown", "--limit", "100")))
    summary = data["summary"]
    heading = root.find("h1").text_content()
    assert heading == "Reuse scan"
    intro = root.find("p").text_content()
    expected = f"{summary['documents']} documents, {summary['passages']} passages, {summary['characters']} characters."
    assert expected in intro
    assert ", ".join(f"{n} {kind}" for kind, n in summary["families"].items()) in intro
    families, documents = root.findall(".//table")
    assert rows(families) == [
        [f["id"], f["kind"], str(f["documents"]), str(f["occurrences"]), f["text"], f["template"] or ""]
        for f in data["families"]
    ]
    kinds = ["boilerplate", "repeat", "reused", "formula", "new"]
    assert rows(documents) == [
        [d["id"], str(d["passages"]), *(f"{d['shares'][k]:.1%}" for k in kinds)] for d in data["documents"]
    ]


# ---- clean: the flags ----


def manifest(run, tmp_path: Path, *flags: str) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    out = tmp_path / ("out" + "".join(flags))
    ok(run("clean", "seeds", "--out", str(out), *flags))
    return [json.loads(line) for line in (out / "reuse-manifest.jsonl").read_text(encoding="utf-8").splitlines()]


def test_clean_flags_change_the_removals_as_the_readme_says(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    families = {f["id"]: f for f in as_json(run("scan", "seeds", "--format", "json"))["families"]}

    def key(row: dict[str, Any]) -> tuple[str, int, int, str]:
        return (row["doc"], row["start"], row["end"], row["family"])

    def of_kind(removals: list[dict[str, Any]], *kinds: str) -> set[tuple[str, int, int, str]]:
        return {key(r) for r in removals if r["kind"] in kinds}

    default = manifest(run, tmp_path)
    # By default boilerplate and in-document repeats, keeping the first copy of each repeat.
    assert {r["kind"] for r in default} == {"boilerplate", "repeat"}
    repeats = Counter(r["family"] for r in default if r["kind"] == "repeat")
    for family, removed in repeats.items():
        members = sorted((m["doc"], m["start"]) for m in families[family]["members"])
        assert removed == len(members) - 1
        assert members[0] not in {(r["doc"], r["start"]) for r in default if r["family"] == family}
    assert set(repeats) == {f for f, family in families.items() if family["kind"] == "repeat"}
    # Each flag adds or takes away its kind and leaves the others as they were.
    formulae = manifest(run, tmp_path, "--remove-formulae")
    assert of_kind(formulae, "boilerplate", "repeat") == of_kind(default, "boilerplate", "repeat")
    assert {r["family"] for r in formulae if r["kind"] == "formula"} == {
        f for f, family in families.items() if family["kind"] == "formula"
    }
    reused = manifest(run, tmp_path, "--remove-reused")
    assert of_kind(reused, "boilerplate", "repeat") == of_kind(default, "boilerplate", "repeat")
    assert (
        {r["family"] for r in reused if r["kind"] == "reused"}
        == {f for f, family in families.items() if family["kind"] == "reused"}
        != set()
    )
    kept = manifest(run, tmp_path, "--keep-repeats")
    assert {key(r) for r in kept} == of_kind(default, "boilerplate")


# ---- index: --max-matches, REUSE_INDEX, Markdown ----


def test_max_matches_limits_the_list_not_the_count(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    line = "國家主席習近平在北京人民大會堂同俄羅斯總統普京舉行視頻會晤，雙方就共同關心的問題深入交換意見。"
    corpus = tmp_path / "copies.jsonl"
    corpus.write_text(
        "".join(json.dumps({"id": f"copy-{i:02d}", "text": line}, ensure_ascii=False) + "\n" for i in range(12)),
        encoding="utf-8",
    )
    index = str(tmp_path / "copies.sqlite")
    ok(run("index", "build", str(corpus), "--index", index))
    query = write(tmp_path / "query.txt", line + "\n")
    (by_default,) = as_json(run("index", "query", query, "--index", index, "--format", "json"))["documents"]
    (passage,) = by_default["passages"]
    assert (passage["status"], passage["documents"], len(passage["matches"])) == ("reused", 12, 10)  # default 10
    for limit in (1, 3, 12):
        args = ("index", "query", query, "--index", index, "--format", "json", "--max-matches", str(limit))
        report = as_json(run(*args))
        assert report["max_matches"] == limit  # the report says how many it lists at most
        (doc,) = report["documents"]
        (limited,) = doc["passages"]
        assert limited["documents"] == 12
        assert len(limited["matches"]) == limit
        assert limited["matches"][:10] == passage["matches"][:limit]  # the same ones, in the same order
    refused = run("index", "query", query, "--index", index, "--max-matches", "0")
    assert refused.exit_code == 1 and "--max-matches" in refused.output


def test_reuse_index_is_the_index_when_no_option_names_one(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    path = str(tmp_path / "from-env.sqlite")
    monkeypatch.setenv("REUSE_INDEX", path)
    assert "indexed in " + path in ok(run("index", "build", *OTHERS))
    stats = as_json(run("index", "stats", "--format", "json"))
    assert stats["documents"] == 4 and stats["index"].endswith("from-env.sqlite")
    named = as_json(run("index", "query", SEED0, "--index", path, "--format", "json"))
    assert as_json(run("index", "query", SEED0, "--format", "json")) == named
    ok(run("index", "remove", SEED4))
    assert as_json(run("index", "stats", "--format", "json"))["documents"] == 3
    # An --index on the command line wins over the variable.
    other = str(tmp_path / "named.sqlite")
    ok(run("index", "build", SEED4, "--index", other))
    assert as_json(run("index", "stats", "--index", other, "--format", "json"))["documents"] == 1
    assert as_json(run("index", "stats", "--format", "json"))["documents"] == 3
    monkeypatch.delenv("REUSE_INDEX")
    assert run("index", "stats").exit_code != 0


def test_index_query_markdown_says_what_the_json_says(run, index: str) -> None:  # type: ignore[no-untyped-def]
    docs = [SEED0, "seeds/002_cbc67faf9157e332.txt"]
    data = as_json(run("index", "query", *docs, "--index", index, "--format", "json"))
    root = render(ok(run("index", "query", *docs, "--index", index, "--format", "markdown")))
    assert root.find("h1").text_content() == f"Readouts against the index {index}"
    assert [h.text_content() for h in root.findall("h2")] == docs
    tables = root.findall(".//table")
    assert len(tables) == len(data["documents"])
    paragraphs = [p.text_content() for p in root.findall("p")]
    for table, doc in zip(tables, data["documents"], strict=True):
        s = doc["summary"]
        line = f"{s['passages']} passages: {s['new']} new, {s['reused']} reused, {s['partial']} partial"
        assert any(p.startswith(line) for p in paragraphs), line
        expected = []
        for p in doc["passages"]:
            seen = ""
            if p["matches"]:  # the best match, and how many other documents the matches are in
                first, others = p["matches"][0], len({m["doc"] for m in p["matches"]}) - 1
                seen = f"{first['doc']}#{first['index']}" + (f" +{others}" if others else "")
            shown = p["status"] != "new"
            figures = [str(p["documents"]), f"{p['similarity']:.2f}"] if shown else ["", ""]
            expected.append([str(p["index"]), p["status"], *figures, p["text"], seen])
        assert rows(table) == expected
    statuses = {p["status"] for doc in data["documents"] for p in doc["passages"]}
    assert statuses == {"new", "reused", "partial"}


# ---- Settings: each invalid value is refused with the way out ----


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"script": "s2t"}, r"^script must be one of tw2sp, t2s, hk2s, none, not 's2t'$"),
        ({"unit": "page"}, r"^unit must be one of sentence, paragraph, not 'page'$"),
        *[
            ({name: value}, rf"^{name} must be a positive whole number, not {value!r}$")
            for name in ("k_han", "k_word", "num_perm", "bands", "rows", "min_span", "min_whole")
            for value in (0, -3, 2.5)
        ],
        ({"max_gap": -1}, r"^max_gap must be 0 or more, not -1$"),
        (
            {"bands": 64},
            (
                r"^bands × rows \(64 × 4 = 256\) must not exceed num_perm \(128\): "
                r"lower bands or rows, or raise num_perm$"
            ),
        ),
        ({"reused_coverage": 0.0}, r"^reused_coverage must be in \(0, 1\], not 0\.0$"),
        ({"reused_coverage": 1.5}, r"^reused_coverage must be in \(0, 1\], not 1\.5$"),
    ],
)
def test_invalid_settings_are_refused_with_the_fix(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings(**changes)
    with pytest.raises(SettingsError, match=message):
        Settings().replace(**changes)


def test_valid_edges_of_settings_are_accepted() -> None:
    edges = Settings(max_gap=0, reused_coverage=1.0, bands=32, rows=4, num_perm=128, min_span=1)
    assert edges.bands * edges.rows == edges.num_perm
