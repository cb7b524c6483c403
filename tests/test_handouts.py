"""Printable handouts (site.py handouts, site.py build --handouts), on small fixture projects.

The PDFs are opened with pypdf: page text, band label, /Lang, the chosen country's help numbers,
the QR code's modules against the page URL, right-to-left layout for Arabic, the Noto font of each
planned script, incremental re-rendering, the site's download links, and every bad input as one line.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
import segno
import yaml

from support import REPO, child_page, make_project, run, site_cli

SITE_URL = "https://lanzarote-kids.test/"
ENV = {"LANZAROTE_SITE_URL": SITE_URL}
STRINGS_EN = yaml.safe_load((REPO / "data" / "strings" / "en.yml").read_text(encoding="utf-8"))
TOPICS = [{"id": "home", "file": "index.md"}, {"id": "convention", "file": "convention.md"},
          {"id": "help", "file": "help.md"}]
EN = {"code": "en", "autonym": "English", "name": "English", "direction": "ltr", "status": "published",
      "theme_language": "en", "dictionary": "en_US"}

EN_BODY = """
## What is this promise?

The Convention is a promise that many countries made. They promised to keep children safe.

It is never your fault. You can always tell a grown-up you trust.

## What can I do now? { .next-step }

- Tell a grown-up you trust.
- Read [the help page](help.md).
"""

# Written for these tests: a short child page in each script we plan to print.
SCRIPT_PAGES = {
    "en": ("ltr", "NotoSans", "The Lanzarote Convention", "You can tell a grown-up you trust."),
    "uk": ("ltr", "NotoSans", "Конвенція Ланцароте", "Ти можеш розповісти дорослому, якому довіряєш."),
    "el": ("ltr", "NotoSans", "Η Σύμβαση του Λανθαρότε", "Μπορείς να το πεις σε έναν ενήλικα που εμπιστεύεσαι."),
    "hy": ("ltr", "NotoSansArmenian", "Լանսարոտեի կոնվենցիան", "Դու կարող ես պատմել մեծահասակի, որին վստահում ես։"),
    "ka": ("ltr", "NotoSansGeorgian", "ლანსაროტეს კონვენცია", "შენ შეგიძლია უთხრა ზრდასრულს, რომელსაც ენდობი."),
    "ar": ("rtl", "NotoNaskhArabic", "ما هي اتفاقية لانزاروتي؟", "يمكنك دائمًا أن تخبر شخصًا كبيرًا تثق به."),
}
AR_BODY = """
## ما هذا الوعد؟

اتفاقية لانزاروتي وعد قطعته دول كثيرة. وعدت هذه الدول بأن تحمي الأطفال.

ليس الذنب ذنبك أبدًا. يمكنك دائمًا أن تخبر شخصًا كبيرًا تثق به.
"""
AR_STRINGS = {"band_7-10": "من ٧ إلى ١٠ سنوات", "help_box_title": "هل تحتاج إلى مساعدة؟",
              "help_box_text": "يمكنك أن تتحدث مع شخص سيستمع إليك. ليس الذنب ذنبك أبدًا.",
              "handout_online": "اقرأ هذه الصفحة على الإنترنت", "services_heading": "بمن يمكنك أن تتصل"}
UNCONFIRMED_PHONE = "0800 000 999"


def handouts(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    result = site_cli(root, "handouts", *args, env={**ENV, **(env or {})})
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr
    return result


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def lang_of(path: Path) -> str:
    return str(pypdf.PdfReader(path).trailer["/Root"].get("/Lang"))


def fonts_of(path: Path) -> set[str]:
    names = set()
    for page in pypdf.PdfReader(path).pages:
        for font in (page.get("/Resources", {}).get("/Font") or {}).values():
            names.add(str(font.get_object().get("/BaseFont")))
    return names


def text_runs(path: Path) -> list[tuple[str, float]]:
    """(text, x in points) of each run drawn on the first page."""
    runs = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            runs.append((text.strip(), tm[4] * cm[0] + cm[4]))
    pypdf.PdfReader(path).pages[0].extract_text(visitor_text=visit)
    return runs


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """en and ar (right to left), ages 7-10 only, with an unconfirmed French number added."""
    root = tmp_path_factory.mktemp("handouts") / "p"
    ar = {"code": "ar", "autonym": "العربية", "name": "Arabic", "direction": "rtl", "status": "published",
          "theme_language": "ar", "dictionary": None, "bands": ["7-10"]}
    make_project(root, languages=[dict(EN, bands=["7-10"]), ar], topics=TOPICS)
    (root / "docs" / "en" / "7-10" / "convention.md").write_text(
        child_page("What is the Lanzarote Convention?", "convention", "7-10", body=EN_BODY), encoding="utf-8")
    (root / "docs" / "ar" / "7-10" / "convention.md").write_text(
        child_page(SCRIPT_PAGES["ar"][2], "convention", "7-10", body=AR_BODY), encoding="utf-8")
    strings = dict(STRINGS_EN, **AR_STRINGS)
    (root / "data" / "strings" / "ar.yml").write_text(yaml.safe_dump(strings, allow_unicode=True), encoding="utf-8")
    fr = root / "data" / "help" / "fr.yml"
    help_fr = yaml.safe_load(fr.read_text(encoding="utf-8"))
    help_fr["services"].append({
        "id": "not-checked-yet", "name": "A line nobody has checked", "kind": "child-helpline",
        "contact": {"phone": UNCONFIRMED_PHONE}, "source": "https://lanzarote-kids.test/source",
        "verified_on": "2026-11-01", "confidence": "unconfirmed"})
    fr.write_text(yaml.safe_dump(help_fr, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def en_handout(project) -> Path:
    result = handouts(project, "--lang", "en", "--band", "7-10", "--topic", "convention", "--country", "FR")
    assert result.returncode == 0, result.stdout
    return project / "handouts" / "en" / "7-10" / "convention.pdf"


def test_handout_has_the_page_text_band_label_and_language(en_handout):
    text = pdf_text(en_handout)
    assert squash("What is the Lanzarote Convention?") in squash(text)
    for sentence in ("The Convention is a promise that many countries made.",
                     "It is never your fault. You can always tell a grown-up you trust."):
        assert squash(sentence) in squash(text), sentence
    assert STRINGS_EN["band_7-10"] in text
    assert squash(STRINGS_EN["help_box_text"]) in squash(text)
    assert lang_of(en_handout) == "en"
    info = pypdf.PdfReader(en_handout).metadata
    assert info["/Title"].startswith("What is the Lanzarote Convention?")
    assert info["/ageband"] == "7-10" and info["/helpcountry"] == "FR"


def test_handout_lists_only_confirmed_numbers_for_the_country_first(en_handout):
    text = squash(pdf_text(en_handout))
    help_fr = yaml.safe_load((REPO / "data" / "help" / "fr.yml").read_text(encoding="utf-8"))
    confirmed = [s["contact"]["phone"] for s in help_fr["services"]
                 if s["confidence"] == "confirmed" and s["contact"].get("phone")]
    assert confirmed, "the French help data has no confirmed number to print"
    for phone in confirmed:
        assert squash(phone) in text, phone
    assert squash(UNCONFIRMED_PHONE) not in text
    # the country's own services come before the Europe-wide ones
    europe_heading = squash(STRINGS_EN["services_europe_heading"])
    assert text.index(squash(confirmed[0])) < text.index(europe_heading)


def test_qr_code_encodes_the_page_url(en_handout):
    url = SITE_URL + "7-10/convention/"
    reader = pypdf.PdfReader(en_handout)
    assert reader.metadata["/qrurl"] == url
    images = reader.pages[0].images
    assert len(images) == 1, "expected exactly one image (the QR code) on page 1"
    image = images[0].image.convert("L")
    matrix = segno.make(url, error="m", micro=False).matrix
    border = (image.width - len(matrix)) // 2
    assert border == 4 and image.width == image.height
    for r, row in enumerate(matrix):
        for c, module in enumerate(row):
            assert (image.getpixel((c + border, r + border)) < 128) == bool(module), (r, c)
    # the short address is printed next to it
    assert "lanzarote-kids.test/7-10/convention/" in squash(pdf_text(en_handout))


def test_arabic_handout_prints_right_to_left(project, en_handout):
    result = handouts(project, "--lang", "ar", "--band", "7-10", "--topic", "convention", "--country", "FR")
    assert result.returncode == 0, result.stdout
    pdf = project / "handouts" / "ar" / "7-10" / "convention.pdf"
    assert lang_of(pdf) == "ar"
    text = pdf_text(pdf)
    title = SCRIPT_PAGES["ar"][2]
    assert squash(title.rstrip("؟")) in squash(text)      # logical (reading) order
    assert squash("يمكنك دائمًا أن تخبر شخصًا كبيرًا تثق به") in squash(text)
    # A short heading is drawn against the right margin in Arabic, the left one in English.
    width = float(pypdf.PdfReader(pdf).pages[0].mediabox.width)
    ar_heading_x = next(x for t, x in text_runs(pdf) if "الوعد" in t)
    en_heading_x = next(x for t, x in text_runs(en_handout) if "What is this promise?" in t)
    assert ar_heading_x > width / 2, "the Arabic heading should sit on the right half (dir=rtl)"
    assert en_heading_x < width / 4, "the English heading starts at the left margin"


def test_every_planned_script_prints_with_its_noto_font(tmp_path):
    languages = [dict(EN, bands=["7-10"])] + [
        {"code": code, "autonym": code, "name": code, "direction": direction, "status": "draft",
         "theme_language": code, "dictionary": None, "bands": ["7-10"]}
        for code, (direction, *_rest) in SCRIPT_PAGES.items() if code != "en"]
    root = make_project(tmp_path / "scripts", languages=languages, topics=[{"id": "home", "file": "index.md"}])
    args = []
    for code, (_, _, title, sentence) in SCRIPT_PAGES.items():
        body = f"\n## {title}\n\n{sentence}\n"
        (root / "docs" / code / "7-10" / "index.md").write_text(child_page(title, "home", "7-10", body=body),
                                                                encoding="utf-8")
        args += ["--lang", code]
    result = handouts(root, *args, "--band", "7-10", "--no-booklet")
    assert result.returncode == 0, result.stdout
    for code, (_, family, title, sentence) in SCRIPT_PAGES.items():
        pdf = root / "handouts" / code / "7-10" / "home.pdf"
        assert lang_of(pdf) == code
        names = {re.sub(r"^/[A-Z]{6}\+|-", "", name) for name in fonts_of(pdf)}
        assert any(name.startswith(family) for name in names), (code, names)
        assert all(name.startswith("Noto") for name in names), (code, names)   # no fallback font
        if code != "ar":   # Arabic extraction order is checked in its own test
            assert squash(sentence) in squash(pdf_text(pdf)), code


def rendered(result) -> list[str]:
    return sorted(line.split("/handouts/", 1)[-1] for line in result.stdout.splitlines()
                  if line.startswith("rendered "))


def test_second_run_renders_nothing_and_a_change_rerenders_only_its_pdfs(project):
    out = project / "incremental"
    args = ("--lang", "en", "--band", "7-10", "--out", str(out))
    first = handouts(project, *args)
    assert first.returncode == 0, first.stdout
    assert "4 PDF(s)" in first.stdout     # 3 topics + the booklet
    booklet = out / "en" / "7-10" / "booklet.pdf"
    assert len(pypdf.PdfReader(booklet).pages) >= 5   # cover, contents, 3 topics, services
    again = handouts(project, *args)
    assert again.returncode == 0 and rendered(again) == [], again.stdout
    assert "0 rendered, 4 unchanged" in again.stdout
    page = project / "docs" / "en" / "7-10" / "help.md"
    saved = page.read_text(encoding="utf-8")
    page.write_text(saved + "\nA new sentence for the help page.\n", encoding="utf-8")
    try:
        changed = handouts(project, *args)
    finally:
        page.write_text(saved, encoding="utf-8")
    assert changed.returncode == 0, changed.stdout
    lines = [line for line in changed.stdout.splitlines() if line.startswith("rendered ")]
    assert sorted(line.rsplit("/", 1)[-1] for line in lines) == ["booklet.pdf", "help.pdf"], changed.stdout
    assert "A new sentence for the help page." in pdf_text(out / "en" / "7-10" / "help.pdf")
    assert "A new sentence for the help page." in pdf_text(booklet)


def only_font_config(tmp_path: Path, family: str) -> Path:
    """A fontconfig set-up that knows one family only (to stand in for a missing Debian package)."""
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    found = subprocess.run(["fc-list", "--format", "%{file}\n", family], capture_output=True, text=True).stdout
    for line in found.splitlines():
        shutil.copy(line, fonts)
    assert any(fonts.iterdir()), f"{family} is not installed (bash dev.sh test installs fonts-noto-core)"
    config = tmp_path / "fonts.conf"
    config.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>'
                      f"<dir>{fonts}</dir><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>\n",
                      encoding="utf-8")
    return config


def one_error_line(result, *needles: str) -> str:
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert result.returncode != 0, result.stdout
    assert len(lines) == 1, lines
    assert lines[0].startswith("ERROR: "), lines[0]
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


@pytest.mark.parametrize("args, needles", [
    (("--lang", "xx", "--band", "7-10"), ("unknown language 'xx'", "en, ar")),
    (("--lang", "en", "--band", "5-6"), ("unknown band '5-6'", "7-10, 11-14, 15-17")),
    (("--lang", "en", "--band", "7-10", "--topic", "dragons"), ("unknown topic 'dragons'", "convention")),
    (("--lang", "en", "--band", "7-10", "--country", "QQ"), ("unknown country 'QQ'", "data/help/qq.yml", "FR")),
    (("--lang", "en", "--band", "7-10", "--paper", "a5"), ("unknown paper 'a5'", "a4, letter")),
])
def test_bad_options_give_one_clear_line(project, args, needles):
    one_error_line(handouts(project, *args), *needles)


def test_missing_image_gives_one_clear_line(project):
    page = project / "docs" / "en" / "7-10" / "help.md"
    saved = page.read_text(encoding="utf-8")
    page.write_text(saved + "\n![A drawing of a helpline](pictures/phone.png)\n", encoding="utf-8")
    try:
        result = handouts(project, "--lang", "en", "--band", "7-10", "--topic", "help")
    finally:
        page.write_text(saved, encoding="utf-8")
    one_error_line(result, "docs/en/7-10/help.md", "pictures/phone.png", "missing")


def test_missing_font_names_the_script_and_the_debian_package(project, tmp_path):
    config = only_font_config(tmp_path, "Noto Sans")
    result = handouts(project, "--lang", "ar", "--band", "7-10", "--topic", "convention",
                      env={"FONTCONFIG_FILE": str(config)})
    one_error_line(result, "docs/ar/7-10/convention.md", "Arabic", "Noto Naskh Arabic", "fonts-noto-core")


def test_unwritable_output_folder_gives_one_clear_line(project, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = handouts(project, "--lang", "en", "--band", "7-10", "--topic", "help", "--out", str(blocker / "pdfs"))
    one_error_line(result, str(blocker / "pdfs"), "cannot write", "--out")


# --- the built site ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site_project(tmp_path_factory) -> Path:
    """English only, with the consultation kit and the print page copied from the real site."""
    root = make_project(tmp_path_factory.mktemp("site") / "p", languages=[EN], topics=TOPICS)
    adults = root / "docs" / "en" / "adults"
    adults.mkdir()
    (adults / "index.md").write_text("---\ntitle: For adults\naudience: adults\narticles: []\nsummary: Adults.\n"
                                     "---\n\nPages for adults.\n", encoding="utf-8")
    for name in ("print.md", "consultation-kit-feedback.md"):
        shutil.copy(REPO / "docs" / "en" / "adults" / name, adults / name)
    return root


def pdf_links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+\.pdf)"[^>]*data-pdf=', html)


def test_plain_build_needs_no_weasyprint_and_links_no_pdf(site_project, tmp_path):
    out = tmp_path / "site"
    code = ("import sys, runpy; sys.modules['weasyprint'] = None; sys.modules['segno'] = None; "
            f"sys.argv = ['mkdocs', 'build', '-q', '-f', {str(site_project / 'mkdocs.yml')!r}, '-d', {str(out)!r}]; "
            "runpy.run_module('mkdocs', run_name='__main__')")
    result = run([sys.executable, "-c", code], site_project)
    assert result.returncode == 0, result.stdout + result.stderr
    for page in out.rglob("*.html"):
        assert not pdf_links(page.read_text(encoding="utf-8")), page
    print_page = (out / "adults" / "print" / "index.html").read_text(encoding="utf-8")
    assert "data-print-none" in print_page and STRINGS_EN["download_none"] in print_page
    assert not (out / "handouts").exists()


def test_build_with_handouts_links_each_page_to_its_existing_pdf(site_project, tmp_path):
    out = tmp_path / "site"
    result = site_cli(site_project, "build", "--handouts", "--site-dir", str(out), env=ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    pdfs = sorted(p.relative_to(out / "handouts").as_posix() for p in (out / "handouts").rglob("*.pdf"))
    # 3 bands x (3 topics + booklet) + the one kit page in the fixture
    assert len(pdfs) == 13 and "en/adults/consultation-kit-feedback.pdf" in pdfs, pdfs
    linked = set()
    for page in out.rglob("*.html"):
        for href in pdf_links(page.read_text(encoding="utf-8")):
            target = (page.parent / href).resolve()
            assert target.is_file(), (page, href)
            linked.add(target.relative_to((out / "handouts").resolve()).as_posix())
    assert linked == set(pdfs)
    child = (out / "7-10" / "convention" / "index.html").read_text(encoding="utf-8")
    assert 'data-pdf="en/7-10/convention"' in child and 'data-pdf="en/7-10/booklet"' in child
    print_page = (out / "adults" / "print" / "index.html").read_text(encoding="utf-8")
    assert "data-print-none" not in print_page and len(pdf_links(print_page)) == 13
