"""Reading documents: every format of ../shared/eval/formats gives the article's text, and
broken files give one clear line instead of a traceback."""
from __future__ import annotations

import datetime as dt
import io
import json
import random
import re
import unicodedata
import zipfile

import docx
import pypdf
import pytest

from extract.documents import MAX_BYTES, Document, DocumentError, read_document, read_path

NUMBER_WITH_SEPARATOR = re.compile(r"\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+")


def _words(text: str) -> str:
    """Words only, lower case, accents folded: what must survive any format."""
    folded = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return " ".join(re.findall(r"\w+", folded.lower()))


def _sentences(text: str) -> list[str]:
    pieces = re.split(r"(?<=[.!?»])\s+|\n+", text)
    return [piece for piece in pieces if len(piece.split()) >= 4]


def _manifest(eval_dir):
    return json.loads((eval_dir / "formats" / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def format_documents(eval_dir):
    """Each manifest entry with the document read from it and the plain-text original."""
    entries = []
    for entry in _manifest(eval_dir):
        key_path = (eval_dir / "formats" / entry["key"]).resolve()
        original = key_path.with_suffix(".txt").read_text(encoding="utf-8")
        key = json.loads(key_path.read_text(encoding="utf-8"))
        entries.append((entry, read_path(eval_dir / "formats" / entry["file"]), original, key))
    return entries


def test_every_format_file_reads_to_the_sentences_of_its_article(format_documents):
    for entry, document, original, _key in format_documents:
        read = _words(document.text)
        sentences = _sentences(original)
        found = [s for s in sentences if _words(s) in read]
        missing = [s for s in sentences if _words(s) not in read]
        assert len(found) >= 0.9 * len(sentences), (entry["file"], missing)
        assert document.format == entry["format"], entry["file"]


def test_numbers_keep_their_thousands_separators_in_every_format(format_documents):
    # "2 400" with a no-break space or "1,000" must reach the number reader unchanged.
    for entry, document, original, _key in format_documents:
        for number in NUMBER_WITH_SEPARATOR.findall(original):
            assert number in document.text, (entry["file"], number)


def test_place_names_of_the_answer_key_survive(format_documents):
    for entry, document, original, key in format_documents:
        for row in key["deployments"]:
            for place in (row["origin"], row["destination"]):
                if place and place["name"] in original:
                    assert _words(place["name"]) in _words(document.text), (entry["file"], place["name"])


def test_paragraphs_are_separated_by_blank_lines_and_sentences_are_not_cut(format_documents):
    for entry, document, _original, _key in format_documents:
        paragraphs = document.text.split("\n\n")
        assert len(paragraphs) >= 4, entry["file"]
        for paragraph in paragraphs:
            if entry["format"] in ("pdf", "html"):
                # One paragraph is one line: a PDF's line breaks must not survive.
                assert "\n" not in paragraph, (entry["file"], paragraph)


def test_titles_and_publication_dates_come_from_the_metadata(format_documents):
    for entry, document, original, key in format_documents:
        headline = original.split("\n", 1)[0]
        assert document.title == headline, entry["file"]
        assert document.text.startswith(headline), entry["file"]
        if entry["format"] in ("html", "docx", "pdf"):
            assert document.published == key["published"], entry["file"]


def test_pdf_running_heads_and_page_numbers_are_left_out(eval_dir):
    document = read_path(eval_dir / "formats" / "en-07.pdf")
    assert "Page 1 of 2" not in document.text
    assert "THE EVENING LEDGER" not in document.text
    # The sentence that runs across the page break is whole again.
    assert "The two countries share a border of about 1,084 km" in document.text


def test_pdf_columns_are_joined_where_a_sentence_continues(eval_dir):
    document = read_path(eval_dir / "formats" / "fr-09.pdf")
    assert "doivent participer du 10 au 20 février aux manœuvres russo-biélorusses" in document.text
    assert "Le Journal du Continent" not in document.text


def _pdf(pages: list[list[tuple[float, float, float, str]]]) -> bytes:
    """A real PDF whose pages show the given (x, y, font size, text) lines in Helvetica."""
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = pypdf.PdfWriter()
    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
        NameObject("/Encoding"): NameObject("/WinAnsiEncoding")}))
    for lines in pages:
        page = writer.add_blank_page(width=420, height=595)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
        operators = []
        for x, y, size, text in lines:
            escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            operators.append(f"BT /F1 {size} Tf 1 0 0 1 {x} {y} Tm ({escaped}) Tj ET")
        stream = DecodedStreamObject()
        stream.set_data("\n".join(operators).encode("cp1252"))
        page[NameObject("/Contents")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_pdf_lines_become_paragraphs_and_split_words_are_mended():
    first_page = [
        (40, 560, 7, "DAILY WIRE"),
        (40, 530, 16, "Troops head east"),
        (40, 500, 10, "The Pentagon ordered some 2,000 soldiers to de-"),
        (40, 488, 10, "ploy to Poland and Germany, with dual-capable"),
        (40, 476, 10, "launchers and a U.S.-"),
        (40, 464, 10, "Polish staff that will be dual-"),
        (40, 452, 10, "capable as well, officials said on Wednesday."),
        (40, 430, 10, "About 1,000 soldiers of a Stryker squadron will"),
        (40, 418, 10, "move from Vilseck, Germany, to Romania, and the"),
        (200, 30, 7, "Page 1 of 2"),
    ]
    second_page = [
        (40, 560, 7, "DAILY WIRE"),
        (40, 520, 10, "first of them left on Thursday."),
        (200, 30, 7, "Page 2 of 2"),
    ]
    document = read_document(_pdf([first_page, second_page]), "wire.pdf")
    assert document.title == "Troops head east"
    assert document.text.split("\n\n") == [
        "Troops head east",
        "The Pentagon ordered some 2,000 soldiers to deploy to Poland and Germany, with "
        "dual-capable launchers and a U.S.-Polish staff that will be dual-capable as well, "
        "officials said on Wednesday.",
        "About 1,000 soldiers of a Stryker squadron will move from Vilseck, Germany, to "
        "Romania, and the first of them left on Thursday.",
    ]


def test_docx_table_rows_read_as_one_line_each_in_document_order(eval_dir):
    document = read_path(eval_dir / "formats" / "en-10.docx")
    lines = document.text.split("\n")
    poznan = next(line for line in lines if line.startswith("Poznan "))
    assert "in the west" in poznan and "forward headquarters" in poznan
    assert document.text.index("attaches names to the plan") < document.text.index(poznan)
    assert document.text.index(poznan) < document.text.index("armored brigade combat team")


def test_legacy_encodings_are_detected(eval_dir):
    french = read_path(eval_dir / "formats" / "fr-08.cp1252.txt")
    assert french.encoding == "cp1252"
    assert "présence militaire en Lettonie" in french.text
    english = read_path(eval_dir / "formats" / "en-05.utf16.txt")
    assert english.encoding == "utf-16"
    assert "\r" not in english.text


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8", "utf-8-sig", "utf-16", "utf-16-be", "utf-32"])
def test_short_french_text_in_any_common_encoding(encoding):
    # Short texts are where detectors hesitate (cp1250 instead of cp1252).
    text = "Le déploiement de 3\u00a0000 soldats à l'Est : l'état-major confirme."
    encoded = text.encode(encoding)
    if encoding == "utf-16-be":
        encoded = b"\xfe\xff" + encoded
    document = read_document(encoded, "depeche.txt")
    assert document.text == text


def test_a_single_accented_word_in_cp1252():
    assert read_document("Élysée".encode("cp1252"), "mot.txt").text == "Élysée"


def test_utf16_without_byte_order_mark():
    text = "Some 3,000 troops left Fort Stewart for Germany on Tuesday."
    document = read_document(text.encode("utf-16-le"), "wire.txt")
    assert (document.text, document.encoding) == (text, "utf-16-le")


def test_other_legacy_code_pages_are_read():
    text = "Россия перебросила около 30 тысяч военнослужащих в Белоруссию для участия в учениях."
    document = read_document(text.encode("cp1251"), "tass.txt")
    assert (document.text, document.encoding) == (text, "cp1251")


def test_text_is_cleaned_but_no_break_spaces_stay():
    raw = "Titre\r\n\r\nDes 2\u00a0000 soldats\x07 sont\u00ad partis.\r\nSuite\x00".replace("\x00", "")
    document = read_document(raw.encode("utf-8"), "a.txt")
    assert document.text == "Titre\n\nDes 2\u00a0000 soldats sont partis.\nSuite"
    assert document.title == "Titre"


def test_decomposed_accents_are_composed():
    document = read_document("Re\u0301publique tche\u0300que".encode("utf-8"), "a.txt")
    assert document.text == "République tchèque"


def test_markdown_markup_is_dropped_but_words_stay():
    source = (
        "# Pentagon sends troops to Poland\n\n"
        "**2,000** soldiers from [Fort Bragg](https://example.org/bragg) will go to _Poland_.\n\n"
        "- 1,000 troops move from Vilseck to Romania\n"
        "> the *largest* deployment\n\n"
        "| Unit | Destination |\n|---|---|\n| 82nd Airborne | Poland |\n\n"
        "[ref]: https://example.org/ref\n"
    )
    document = read_document(source.encode("utf-8"), "note.md")
    assert document.format == "md"
    assert document.title == "Pentagon sends troops to Poland"
    for junk in ("#", "**", "https", "](", "|", "---", "> "):
        assert junk not in document.text
    assert "2,000 soldiers from Fort Bragg will go to Poland." in document.text
    assert "1,000 troops move from Vilseck to Romania" in document.text
    assert "82nd Airborne — Poland" in document.text


def test_html_article_without_navigation_or_footer():
    article = "".join(
        f"<p>{sentence}</p>" for sentence in (
            "The Pentagon ordered some 2,000 troops from Fort Bragg to Poland and Germany on Wednesday.",
            "About 1,000 soldiers of a Stryker squadron will move from Vilseck, Germany, to Romania.",
            "Officials said the deployments were temporary and meant to reassure NATO allies.",
            "Russia has massed more than 100,000 troops near the border with Ukraine, officials said.",
        )) + ("<table><tr><th>Unit</th><th>Destination</th></tr>"
              "<tr><td>82nd Airborne Division</td><td>Poland</td></tr></table>"
              "<p>The Stryker squadron is part of the 2nd Cavalry Regiment based in Vilseck.</p>")
    page = f"""<!DOCTYPE html><html><head><title>Troops head east | Daily</title>
      <meta property="article:published_time" content="2022-02-02T18:00:00Z"></head><body>
      <nav><a href="/">Home</a> <a href="/world">Subscribe now to World Weekly</a></nav>
      <header><div class="promo">Sign up for our newsletter today</div></header>
      <main><article><h1>Troops head east</h1>{article}</article></main>
      <aside class="ad">Buy cheap flights to Tenerife</aside>
      <footer>Copyright 2022 Daily Holdings. Cookie policy. Contact us.</footer></body></html>"""
    document = read_document(page.encode("utf-8"), "page.html")
    assert document.format == "html"
    assert "2,000 troops from Fort Bragg to Poland and Germany" in document.text
    assert "Vilseck, Germany, to Romania" in document.text
    assert "82nd Airborne Division — Poland." in document.text.split("\n")
    for junk in ("Subscribe now", "newsletter", "Tenerife", "Copyright", "Cookie"):
        assert junk not in document.text
    assert document.published == "2022-02-02"


def test_html_page_too_small_for_article_extraction_still_gives_its_text():
    page = b"<html><body><div>500 soldiers arrived in Vilnius.</div><script>var x=1;</script></body></html>"
    document = read_document(page, "tiny.html")
    assert "500 soldiers arrived in Vilnius." in document.text
    assert "var x" not in document.text


def test_docx_paragraphs_tables_and_core_properties(tmp_path):
    word = docx.Document()
    word.core_properties.title = "Troops to Romania"
    word.core_properties.created = dt.datetime(2022, 2, 28, 19, 40)
    word.add_heading("Troops to Romania", level=0)
    word.add_paragraph("France is sending 500 soldiers to Romania.")
    table = word.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ("Unit", "From", "To")):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ("27e BCA", "Annecy", "Roumanie")):
        cell.text = text
    word.add_paragraph("Belgium adds 300 more.")
    path = tmp_path / "report.docx"
    word.save(path)
    document = read_path(path)
    assert document.format == "docx"
    assert document.title == "Troops to Romania"
    assert document.published == "2022-02-28"
    assert document.text == ("Troops to Romania\n\nFrance is sending 500 soldiers to Romania.\n\n"
                             "Unit — From — To.\n27e BCA — Annecy — Roumanie.\n\nBelgium adds 300 more.")


def test_content_wins_over_a_lying_extension(eval_dir):
    pdf = (eval_dir / "formats" / "en-07.pdf").read_bytes()
    document = read_document(pdf, "article.txt")
    assert document.format == "pdf"
    assert "30,000 combat troops to Belarus" in document.text
    word = (eval_dir / "formats" / "fr-01.docx").read_bytes()
    assert read_document(word, "download").format == "docx"
    html = (eval_dir / "formats" / "fr-04.html").read_bytes()
    assert read_document(html, "page.txt").format == "html"
    # And a .pdf that is plain text is read as the text it is.
    assert read_document(b"2,000 soldiers left for Poland.", "notes.pdf").text == "2,000 soldiers left for Poland."


# --- broken inputs: one clear line naming the file -------------------------------------

def _error(data: bytes, filename: str) -> str:
    with pytest.raises(DocumentError) as caught:
        read_document(data, filename)
    message = str(caught.value)
    assert filename in message and "\n" not in message
    return message


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", "\ufeff".encode("utf-8")])
def test_empty_files_say_they_are_empty(data):
    assert "empty" in _error(data, "blank.txt")


def test_random_bytes_do_not_look_like_text():
    junk = random.Random(7).randbytes(4096)
    assert "does not look like text" in _error(junk, "junk.txt")
    assert "does not look like text" in _error(b"abc\x00\x00\x01def" * 50, "nul.txt")


def test_truncated_pdf_is_reported(eval_dir):
    pdf = (eval_dir / "formats" / "en-07.pdf").read_bytes()
    assert "truncated" in _error(pdf[: len(pdf) // 2], "cut.pdf")


def test_truncated_docx_is_reported(eval_dir):
    word = (eval_dir / "formats" / "en-10.docx").read_bytes()
    message = _error(word[: int(len(word) * 0.8)], "cut.docx")
    assert "truncated or damaged" in message


def test_zip_that_is_not_a_word_document(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data.csv", "a,b\n1,2\n")
    assert "not a Word" in _error(buffer.getvalue(), "data.docx")


def test_old_binary_word_file_is_named():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)
    assert ".doc" in _error(ole, "report.doc")


def test_encrypted_pdf_is_reported(eval_dir):
    writer = pypdf.PdfWriter(clone_from=str(eval_dir / "formats" / "fr-09.pdf"))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert "encrypted" in _error(buffer.getvalue(), "locked.pdf")


def test_pdf_without_text_layer_is_reported():
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    assert "no text layer" in _error(buffer.getvalue(), "scan.pdf")


def test_file_over_the_size_limit_is_refused(tmp_path):
    message = _error(b"a" * (MAX_BYTES + 1), "huge.txt")
    assert "20 MB limit" in message
    big = tmp_path / "huge.txt"
    with open(big, "wb") as handle:
        handle.truncate(MAX_BYTES + 5 * 1024 * 1024)   # sparse: nothing is read
    with pytest.raises(DocumentError, match=r"25\.0 MB, larger than the 20 MB limit"):
        read_path(big)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(DocumentError, match="no such file"):
        read_path(tmp_path / "absent.txt")
    with pytest.raises(DocumentError, match="is a directory"):
        read_path(tmp_path)


def test_document_is_the_plain_record():
    document = read_document(b"Headline\n\nBody text here.", "a.txt")
    assert document == Document(text="Headline\n\nBody text here.", title="Headline",
                                source="a.txt", format="txt", encoding="utf-8", published=None)
