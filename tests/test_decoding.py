"""The decoding set: real text in every encoding readouts come in must decode to exactly that text, with the
encoding reported; binary files and random bytes must still be refused with one line."""

from __future__ import annotations

import codecs
import io
import random
import re
import zipfile
from pathlib import Path

import pytest

from reuse.errors import InputError
from reuse.load.corpus import load_corpus
from reuse.load.document import decode, load_document

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _seed_lines(name: str) -> list[str]:
    return (SEEDS / name).read_text(encoding="utf-8").splitlines()


def _typeset(line: str) -> str:
    """A seed's English line as a word processor writes it: curly quotes and apostrophes, em dashes."""
    line = re.sub(r'"(\S[^"]*?)"', "\u201c\\1\u201d", line)
    return line.replace("'", "\u2019").replace(" -- ", " \u2014 ")


ZH_TRADITIONAL = "\n".join(_seed_lines("000_72809ab1e56e2c9e.txt")[6:12]) + "\n"
ZH_SIMPLIFIED = "\n".join(line for line in _seed_lines("002_cbc67faf9157e332.txt")[20:40] if line.strip()) + "\n"
ENGLISH = "\n".join(_seed_lines("003_b1f2f82659ca7572.txt")[8:14]) + "\n"
RUSSIAN = (
    "Состоялись российско-китайские переговоры. Владимир Путин и Председатель Китайской Народной Республики "
    "Си Цзиньпин обсудили ключевые вопросы дальнейшего развития отношений всеобъемлющего партнёрства и "
    "стратегического взаимодействия, а также актуальные международные и региональные проблемы. Лидеры двух "
    "стран отметили, что российско-китайские связи находятся на беспрецедентно высоком уровне, и подчеркнули "
    "важность наращивания торгово-экономического сотрудничества. По итогам переговоров в присутствии "
    "Владимира Путина и Си Цзиньпина подписан ряд межправительственных и межведомственных документов.\n"
)
RUSSIAN_SHORT = "Путин провёл переговоры с Си Цзиньпином в Кремле.\n"
RUSSIAN_HEADLINE = "ВСТРЕЧА ПРЕДСЕДАТЕЛЯ КНР СИ ЦЗИНЬПИНА И ПРЕЗИДЕНТА РФ В. В. ПУТИНА\n"
JAPANESE = "岸田文雄首相は１６日、訪問先のサンフランシスコで中国の習近平国家主席と約１年ぶりに会談した。\n"
CP1252_ISSUE = "\u201cPeace\u201d \u2014 Xi\n"
CP1252_SHORT = _typeset(_seed_lines("004_1be1cfc6bdf062d7.txt")[29]) + "\n"
CP1252_LONG = "\n".join(_typeset(line) for line in _seed_lines("001_663fe8751431e96d.txt")[36:46]) + "\n"
LATIN1 = (
    "Le président chinois a reçu à Pékin le ministre russe des Affaires étrangères ; « une coopération sans "
    "précédent », a-t-il déclaré.\nAußenminister Wang Yi traf in Moskau den russischen Präsidenten zu Gesprächen "
    "über die Zusammenarbeit beider Länder.\n"
)

CASES = [
    # (name, text, encoding to write it in, bytes before it, encoding reported)
    ("utf8", ZH_TRADITIONAL, "utf-8", b"", "utf-8"),
    ("utf8-bom", ZH_SIMPLIFIED, "utf-8", codecs.BOM_UTF8, "utf-8"),
    ("utf16le-bom", ZH_TRADITIONAL, "utf-16-le", codecs.BOM_UTF16_LE, "utf-16"),
    ("utf16be-bom", RUSSIAN, "utf-16-be", codecs.BOM_UTF16_BE, "utf-16"),
    ("utf16le", ZH_TRADITIONAL, "utf-16-le", b"", "utf-16-le"),
    ("utf16be", ZH_SIMPLIFIED, "utf-16-be", b"", "utf-16-be"),
    ("utf16le-en", ENGLISH, "utf-16-le", b"", "utf-16-le"),
    ("utf16be-ru", RUSSIAN, "utf-16-be", b"", "utf-16-be"),
    ("gb18030", ZH_SIMPLIFIED, "gb18030", b"", "gb18030"),
    ("gb18030-traditional", ZH_TRADITIONAL, "gb18030", b"", "gb18030"),
    ("big5", ZH_TRADITIONAL, "big5", b"", "big5"),
    ("shift-jis", JAPANESE, "shift_jis", b"", "shift_jis"),
    ("cp1251", RUSSIAN, "cp1251", b"", "cp1251"),
    ("cp1251-short", RUSSIAN_SHORT, "cp1251", b"", "cp1251"),
    ("cp1251-headline", RUSSIAN_HEADLINE, "cp1251", b"", "cp1251"),
    ("koi8-r", RUSSIAN, "koi8-r", b"", "koi8-r"),
    ("koi8-r-short", RUSSIAN_SHORT, "koi8-r", b"", "koi8-r"),
    ("koi8-r-headline", RUSSIAN_HEADLINE, "koi8-r", b"", "koi8-r"),
    ("cp1252-issue", CP1252_ISSUE, "cp1252", b"", "cp1252"),
    ("cp1252-short", CP1252_SHORT, "cp1252", b"", "cp1252"),
    ("cp1252-long", CP1252_LONG, "cp1252", b"", "cp1252"),
    # Latin-1 text is read as Windows-1252, its superset (the same text; 0x80-0x9F are quotes, not controls).
    ("latin-1", LATIN1, "latin-1", b"", "cp1252"),
]


def test_the_texts_are_what_the_cases_say() -> None:
    """Guards against a case that tests nothing: each text holds what its encoding is there to test."""
    assert "\u201c" in CP1252_SHORT and "\u2019" in CP1252_LONG and "\u2014" in CP1252_LONG
    assert len(CP1252_SHORT.splitlines()) == 1 and len(CP1252_LONG) > 2000
    assert len(RUSSIAN) > 400 and "ё" in RUSSIAN_SHORT
    assert re.search("[\u4e00-\u9fff]", ZH_TRADITIONAL) and "习近平" in ZH_SIMPLIFIED
    for _, text, encoding, _, _ in CASES:
        assert text.encode(encoding).decode(encoding) == text


@pytest.mark.parametrize(("text", "encoding", "prefix", "reported"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_decodes_to_exactly_the_original_text(
    tmp_path: Path, text: str, encoding: str, prefix: bytes, reported: str
) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(prefix + text.encode(encoding))
    doc = load_document(str(path))
    assert doc.text == text
    assert doc.encoding == reported


def _page(head: str, title: str, body: str) -> str:
    return f"<html><head>{head}<title>{title}</title></head><body><p>{body}</p></body></html>\n"


HTML_CASES = [
    # (name, page, encoding it is written in and read in, its text)
    (
        "meta-charset-gb2312",
        _page('<meta charset="gb2312">', "会见", "朱镕基会见俄罗斯客人。"),  # 镕 is in GBK, not in GB2312
        "gb18030",
        "会见\n朱镕基会见俄罗斯客人。\n",
    ),
    (
        "http-equiv-gbk",
        _page('<meta http-equiv="Content-Type" content="text/html; charset=GBK">', "会谈", "习近平同普京会谈。"),
        "gb18030",
        "会谈\n习近平同普京会谈。\n",
    ),
    (
        "http-equiv-windows-1251",
        _page(
            '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">',
            "Переговоры",
            RUSSIAN_SHORT.strip(),
        ),
        "cp1251",
        "Переговоры\n" + RUSSIAN_SHORT,
    ),
]


@pytest.mark.parametrize(("page", "encoding", "text"), [c[1:] for c in HTML_CASES], ids=[c[0] for c in HTML_CASES])
def test_html_pages_are_read_in_the_charset_they_declare(tmp_path: Path, page: str, encoding: str, text: str) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(page.encode(encoding))
    (doc,) = load_corpus([str(path)]).documents
    assert doc.text == text
    assert doc.encoding == encoding


def test_xhtml_with_an_xml_declaration_is_html_in_its_declared_encoding(tmp_path: Path) -> None:
    page = (
        '<?xml version="1.0" encoding="gb2312"?>\n'
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>会晤</title></head>'
        "<body><p>习近平同俄罗斯总统普京举行视频会晤。</p></body></html>\n"
    )
    path = tmp_path / "page.xml"  # not an .html name: recognised by its content
    path.write_bytes(page.encode("gb18030"))
    (doc,) = load_corpus([str(path)]).documents
    assert doc.text == "会晤\n习近平同俄罗斯总统普京举行视频会晤。\n"
    assert doc.encoding == "gb18030"


def test_a_declaration_is_not_believed_over_valid_utf8(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(_page('<meta charset="gb2312">', "会谈", "习近平同普京会谈。").encode("utf-8"))
    (doc,) = load_corpus([str(path)]).documents
    assert (doc.text, doc.encoding) == ("会谈\n习近平同普京会谈。\n", "utf-8")


def _png() -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x02\x00\x00\x00\x90\x91h6"


def _elf() -> bytes:
    header = b"\x7fELF\x02\x01\x01" + b"\x00" * 9 + b"\x02\x00\x3e\x00\x01\x00\x00\x00"
    return header + bytes(random.Random(7).randrange(256) for _ in range(400))


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("readout.txt", ZH_TRADITIONAL * 5)
    return buffer.getvalue()


def _random(seed: int, size: int, nul: bool) -> bytes:
    rng = random.Random(seed)
    data = bytes(rng.randrange(256) for _ in range(size))
    return data if nul else data.replace(b"\x00", b"\x01")


BINARY = [
    ("png", _png()),
    ("elf", _elf()),
    ("zip", _zip()),
    *[(f"random-{size}-seed{seed}", _random(seed, size, nul=True)) for size in (64, 4096, 65536) for seed in (1, 2)],
    # Without a NUL byte the detectors are asked, and every reading they offer must be judged implausible.
    *[
        (f"random-no-nul-{size}-seed{seed}", _random(seed, size, nul=False))
        for size in (64, 512, 8192)
        for seed in (1, 2, 3)
    ],
]


@pytest.mark.parametrize("data", [b[1] for b in BINARY], ids=[b[0] for b in BINARY])
def test_binary_and_random_bytes_are_refused_with_one_line(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "blob.txt"
    path.write_bytes(data)
    with pytest.raises(InputError) as err:
        load_document(str(path))
    message = str(err.value)
    assert "\n" not in message
    assert re.fullmatch(
        re.escape(str(path)) + r": (binary file \(NUL byte at byte \d+\), not text|cannot decode byte \d+ as utf-8 "
        r"\([a-z ]+\) and no other encoding fits; pass --encoding)",
        message,
    ), message


def test_a_forced_encoding_wins_over_detection() -> None:
    data = RUSSIAN.encode("koi8-r")
    assert decode(data, "x")[1] == "koi8-r"
    assert decode(data, "x", "cp1251") == (data.decode("cp1251"), "cp1251")
