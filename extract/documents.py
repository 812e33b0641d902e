"""Reading documents: bytes of a .txt, .md, .html, .pdf or .docx file in, plain text out.

Every reader returns the same thing, a :class:`Document` whose ``text`` is what a person
reads on the page: headline first, then the body, paragraphs separated by a blank line,
NFC-normalised, with lines inside a paragraph joined so sentences are never cut. Anything
that cannot be read raises :class:`DocumentError` with one line naming the file and the
problem, so the CLI can report it and go on with the other files.

The format comes from the content when the content is unmistakable (``%PDF-``, a Word
zip, an HTML root element) and from the extension otherwise: extensions lie more often
than magic bytes do.
"""
from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from extract.limits import MAX_ARTICLE_CHARS

MAX_BYTES = 20 * 1024 * 1024
FORMATS = ("txt", "md", "html", "pdf", "docx")

_EXTENSIONS = {
    ".txt": "txt", ".text": "txt", ".csv": "txt",
    ".md": "md", ".markdown": "md",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".pdf": "pdf",
    ".docx": "docx",
}

# Table cells become one line per row; the separator keeps a row readable as a clause
# ("Poznan — in the west — will host a forward headquarters") without commas that a
# number reader could mistake for thousands separators.
CELL_SEPARATOR = " — "


@dataclass
class Document:
    text: str
    title: str | None
    source: str
    format: str
    encoding: str | None = None
    published: str | None = None


class DocumentError(Exception):
    """A file that cannot be read; the message is one line for a human."""


def read_path(path: str | os.PathLike) -> Document:
    """Read the file at ``path`` (the CLI handles ``-`` for standard input)."""
    path = Path(path)
    label = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DocumentError(_too_big(label, size))
        data = path.read_bytes()
    except DocumentError:
        raise
    except IsADirectoryError:
        raise DocumentError(f"{label}: is a directory, not a document") from None
    except FileNotFoundError:
        raise DocumentError(f"{label}: no such file") from None
    except PermissionError:
        raise DocumentError(f"{label}: permission denied") from None
    except OSError as error:
        raise DocumentError(f"{label}: cannot be read ({error.strerror or error})") from None
    return read_document(data, label)


def read_document(data: bytes, filename: str) -> Document:
    """Read ``data``, the content of a file called ``filename`` (used for the format and messages)."""
    if len(data) > MAX_BYTES:
        raise DocumentError(_too_big(filename, len(data)))
    if not data.strip():
        raise DocumentError(f"{filename}: the file is empty")
    fmt = _detect_format(data, filename)
    reader = {"txt": _read_text, "md": _read_text, "html": _read_html,
              "pdf": _read_pdf, "docx": _read_docx}[fmt]
    document = reader(data, filename, fmt)
    return _finished(document, filename)


def document_from_text(text: str, source: str, title: str | None = None,
                       published: str | None = None) -> Document:
    """An article that arrives as text (a JSON Lines, CSV or Parquet row), cleaned and checked
    as a file's text is: control characters removed, not empty, not over the size limit."""
    if not isinstance(text, str):
        raise DocumentError(f"{source}: the text is not a string ({type(text).__name__})")
    return _finished(Document(text=text, title=title or None, source=source, format="txt",
                              published=published or None), source)


def _finished(document: Document, label: str) -> Document:
    document.text = _tidy(document.text)
    if document.title:
        document.title = _tidy(document.title).replace("\n", " ") or None
    if not document.text.strip():
        raise DocumentError(f"{label}: the file is empty (no text in it)")
    if len(document.text) > MAX_ARTICLE_CHARS:
        raise DocumentError(
            f"{label}: the text is {len(document.text):,} characters, longer than the limit of "
            f"{MAX_ARTICLE_CHARS:,} for one article (TROOPMAP_MAX_ARTICLE_CHARS)")
    return document


def _too_big(label: str, size: int) -> str:
    return (f"{label}: the file is {size / 1024 / 1024:.1f} MB, "
            f"larger than the {MAX_BYTES // 1024 // 1024} MB limit")


# --- format -----------------------------------------------------------------------------

_HTML_START = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>])", re.I | re.S)


def _detect_format(data: bytes, filename: str) -> str:
    by_extension = _EXTENSIONS.get(Path(filename).suffix.lower())
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        if by_extension == "docx" or _is_docx(data):
            return "docx"
        raise DocumentError(f"{filename}: is a zip archive but not a Word (.docx) document")
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise DocumentError(f"{filename}: is an old binary Office file (.doc); save it as .docx or PDF")
    text_head = _strip_bom(head)
    if _HTML_START.match(text_head):
        return "html"
    if by_extension in ("pdf", "docx"):
        # The content is no PDF or Word file: read it as text if it is text, else say why.
        if not _looks_like_text(data):
            kind = "PDF (no %PDF- header)" if by_extension == "pdf" else "Word document (not a zip container)"
            raise DocumentError(f"{filename}: is not a valid {kind} and does not look like text")
        return "txt"
    return by_extension or "txt"


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return False


def _strip_bom(head: bytes) -> bytes:
    """The start of the file as UTF-8-ish bytes, for sniffing markup behind a BOM."""
    if head.startswith(b"\xef\xbb\xbf"):
        return head[3:]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="ignore").encode("utf-8")
    return head


def _looks_like_text(data: bytes) -> bool:
    try:
        _decode(data, "")
    except DocumentError:
        return False
    return True


# --- plain text and markdown ------------------------------------------------------------

_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"),
)
# Letters and signs Western European text is made of: when charset-normalizer hesitates
# between single-byte code pages (short French text often comes back as cp1250), the
# decoding that yields more of these is the right one.
_WESTERN = set("éèêëàâäçîïôöùûüÿœæÉÈÊËÀÂÄÇÎÏÔÖÙÛÜŒÆßñÑáíóúÁÍÓÚãõÃÕºª«»€’‘“”–—…\u00a0°£§")


def _decode(data: bytes, filename: str) -> tuple[str, str]:
    """The text of ``data`` and the name of its encoding."""
    not_text = DocumentError(f"{filename}: does not look like text (binary or unknown encoding)")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding.replace("-sig", ""))
            except UnicodeDecodeError:
                raise not_text from None
            encoding = encoding.replace("-sig", "").replace("-le", "").replace("-be", "")
            break
    else:
        if 0 < data.count(0) * 10 <= len(data):
            # A few stray NULs in text (a bad export, a truncated write): drop them and read the rest.
            # UTF-16/32 without a byte-order mark has a NUL in about every other byte and keeps them.
            data = data.replace(b"\x00", b"")
        try:
            if b"\x00" in data:   # valid UTF-8 never has NULs in text: UTF-16/32 or binary
                raise UnicodeDecodeError("utf-8", data, 0, 1, "NUL byte")
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = _guess_decode(data, not_text)
    if not _is_plausible_text(text):
        raise not_text
    return text, encoding


def _guess_decode(data: bytes, not_text: DocumentError) -> tuple[str, str]:
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    candidates = []
    if best is not None:
        candidates.append((str(best), best.encoding))
    with contextlib.suppress(UnicodeDecodeError):
        candidates.append((data.decode("cp1252"), "cp1252"))
    if not candidates:
        raise not_text
    if best is not None and best.encoding.startswith(("utf_16", "utf_32")):
        # UTF-16/32 without a byte-order mark is full of NUL bytes when the text has any
        # Latin letters; a short Latin-1 word can look like two CJK characters otherwise.
        if data.count(0) * 10 >= len(data) > 0 and data.count(0):
            return candidates[0][0], candidates[0][1].replace("_", "-")
        candidates = candidates[1:]
        if not candidates:
            raise not_text

    def western_share(text: str) -> float:
        non_ascii = [c for c in text if ord(c) > 127]
        return sum(c in _WESTERN for c in non_ascii) / len(non_ascii) if non_ascii else 1.0

    if len(candidates) == 2 and candidates[0][0] == candidates[1][0]:
        return candidates[1]   # same text either way: name the common code page
    # max() keeps charset-normalizer's choice on a tie.
    text, encoding = max(candidates, key=lambda pair: western_share(pair[0]) >= 0.9)
    return text, encoding.replace("_", "-")


def _is_plausible_text(text: str) -> bool:
    if "\x00" in text:
        return False
    sample = text[:100_000]
    if not sample:
        return True
    controls = sum(1 for c in sample if unicodedata.category(c) in ("Cc", "Co", "Cn", "Cs")
                   and c not in "\n\r\t\f\v")
    replacements = sample.count("\ufffd")
    # A stray control character is noise to strip; many of them mean binary data.
    return controls + replacements <= max(3, 0.01 * len(sample))


def _read_text(data: bytes, filename: str, fmt: str) -> Document:
    text, encoding = _decode(data, filename)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    title = None
    if fmt == "md":
        title = _markdown_title(text)
        text = _strip_markdown(text)
    if title is None:
        title = _first_line_title(text)
    return Document(text=text, title=title, source=filename, format=fmt, encoding=encoding)


def _first_line_title(text: str) -> str | None:
    """The first paragraph when it is one short line without a full stop: a headline."""
    first = text.strip().split("\n\n", 1)[0].strip()
    if first and "\n" not in first and len(first) <= 200 and not first.endswith("."):
        return first
    return None


def _markdown_title(text: str) -> str | None:
    match = re.search(r"^\s{0,3}#\s+(.+?)\s*#*\s*$", text, re.M)
    return _strip_markdown(match.group(1)).strip() if match else None


_MD_RULES: list[tuple[re.Pattern, str]] = [
    (re.compile(r"^\s{0,3}(```|~~~).*$", re.M), ""),                        # code fences
    (re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$", re.M), ""),               # link reference definitions
    (re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$", re.M), ""),              # horizontal rules
    (re.compile(r"^\s{0,3}(=+|-+)\s*$", re.M), ""),                        # setext heading underlines
    (re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", re.M), r"\1"),          # ATX headings
    (re.compile(r"^\s{0,3}>\s?", re.M), ""),                               # block quotes
    (re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?", re.M), ""),  # list markers
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),                        # images -> alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),                         # inline links -> text
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),                        # reference links -> text
    (re.compile(r"<(?:https?|mailto):[^>]+>"), ""),                        # autolinks
    (re.compile(r"</?[A-Za-z][^>\n]*>"), ""),                              # inline HTML tags
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),                  # strong
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),     # emphasis *x*
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),       # emphasis _x_
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),                        # strike-through
    (re.compile(r"`([^`\n]+)`"), r"\1"),                                   # inline code
]
_MD_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def _strip_markdown(text: str) -> str:
    """Markdown to the words it shows: no heading marks, emphasis, URLs or table pipes."""
    lines = []
    for line in text.split("\n"):
        if _MD_TABLE_SEPARATOR.match(line) and "-" in line:
            continue
        if line.strip().startswith("|") and line.strip().endswith("|"):
            line = _table_row([cell for cell in line.strip().strip("|").split("|")])
        lines.append(line)
    text = "\n".join(lines)
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    return text


def _table_row(cells) -> str:
    """One table row as one line a sentence splitter can read."""
    cells = [" ".join(cell.split()) for cell in cells]
    row = CELL_SEPARATOR.join(cell for cell in cells if cell)
    if row and row[-1] not in ".!?:;»\"”":
        row += "."
    return row


# --- HTML -------------------------------------------------------------------------------

def _read_html(data: bytes, filename: str, fmt: str) -> Document:
    import trafilatura

    try:
        with _quiet("trafilatura", "htmldate", "courlan"):
            extracted = trafilatura.bare_extraction(
                data, include_tables=True, include_comments=False, include_images=False,
                with_metadata=True, deduplicate=False)
    except Exception:  # a page trafilatura chokes on still has text for the plain reader
        extracted = None
    title = published = None
    body = ""
    if extracted is not None:
        title = extracted.title
        published = _iso_date(extracted.date)
        body = extracted.text or ""
    published = _html_published_time(data) or published
    if body.strip():
        paragraphs = [_table_row(line.strip().strip("|").split("|")) if line.lstrip().startswith("| ")
                      else line for line in body.split("\n")]
        text = "\n\n".join(p for p in paragraphs if p.strip())
    else:
        text, fallback_title = _lxml_text(data, filename)
        title = title or fallback_title
    if title and not text.lstrip().startswith(title.strip()):
        text = f"{title}\n\n{text}"
    return Document(text=text, title=title, source=filename, format=fmt, published=published)


_PUBLISHED_META = re.compile(
    rb"""<meta[^>]+(?:property|name|itemprop)\s*=\s*["'](?:article:published_time|datePublished|date|pubdate|publishdate|DC\.date\.issued)["'][^>]*>""",
    re.I)
_CONTENT_ATTR = re.compile(rb"""content\s*=\s*["']([^"']+)["']""", re.I)


def _html_published_time(data: bytes) -> str | None:
    """The page's own publication date: trafilatura's guess may be a modification date."""
    for meta in _PUBLISHED_META.finditer(data[:200_000]):
        content = _CONTENT_ATTR.search(meta.group(0))
        if content:
            iso = _iso_date(content.group(1).decode("ascii", "ignore"))
            if iso:
                return iso
    return None


def _iso_date(value) -> str | None:
    if not value:
        return None
    match = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", str(value))
    return "-".join(match.groups()) if match else None


_BLOCK_TAGS = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6",
               "li", "tr", "blockquote", "pre", "table", "ul", "ol", "dl", "dt", "dd", "figcaption", "br"}
_JUNK_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form",
              "template", "svg", "iframe", "button", "select")


def _lxml_text(data: bytes, filename: str) -> tuple[str, str | None]:
    """All visible text of the page, block by block, minus navigation and scripts."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(data)
    except (etree.ParserError, ValueError) as error:
        raise DocumentError(f"{filename}: HTML cannot be parsed ({error})") from None
    title_element = root.find(".//title")
    title = title_element.text_content().strip() if title_element is not None else None
    for junk in root.xpath("|".join(f"//{tag}" for tag in _JUNK_TAGS) + "|//head"):
        junk.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCK_TAGS:
            element.tail = "\n\n" + (element.tail or "")
            if element.tag.lower() != "br":
                element.text = "\n\n" + (element.text or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n\n"))
    return "\n\n".join(line for line in lines if line), title or None


# --- PDF --------------------------------------------------------------------------------

@dataclass
class _Line:
    text: str
    x: float
    y: float
    size: float
    page: int


_PAGE_NUMBER = re.compile(r"^\s*(page|p\.|seite)?\s*\d{1,4}\s*((of|sur|/|von|de)\s*\d{1,4})?\s*$", re.I)
_SENTENCE_END = tuple(".!?:»\"”)")


def _read_pdf(data: bytes, filename: str, fmt: str) -> Document:
    import pypdf
    from pypdf.errors import PyPdfError

    if b"%%EOF" not in data[-2048:]:
        raise DocumentError(f"{filename}: the PDF is truncated (no end-of-file marker)")
    try:
        with _quiet("pypdf"):
            reader = pypdf.PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                try:
                    unlocked = reader.decrypt("")
                except Exception:  # a missing cipher backend or an unknown scheme
                    unlocked = 0
                if not unlocked:
                    raise DocumentError(f"{filename}: the PDF is encrypted (password-protected)")
            lines = _pdf_lines(reader)
            metadata_title = (reader.metadata or {}).get("/Title") if reader.metadata else None
    except DocumentError:
        raise
    except PyPdfError as error:
        raise DocumentError(f"{filename}: the PDF is damaged and cannot be read ({error})") from None
    except Exception as error:  # broken objects surface as any error deep inside pypdf
        raise DocumentError(f"{filename}: the PDF is damaged and cannot be read "
                            f"({type(error).__name__}: {error})") from None
    if not any(line.text.strip() for line in lines):
        raise DocumentError(f"{filename}: the PDF has no text layer (scanned images?); OCR is not supported")
    title = str(metadata_title).strip() if metadata_title else None
    body, furniture = _split_page_furniture(lines)
    body, furniture = _start_at_headline(body, furniture, title)
    text = _join_pdf_lines(body)
    if not title:
        title = _largest_line(body)
    return Document(text=text, title=title or None, source=filename, format=fmt,
                    published=_date_in_furniture(furniture))


def _pdf_lines(reader) -> list[_Line]:
    """Lines of text with their position and font size, in content-stream order."""
    lines: list[_Line] = []
    for page_number, page in enumerate(reader.pages):
        pending: list = []   # pieces of the current line: (text, x, y, size)

        def flush():
            text = "".join(piece[0] for piece in pending)
            if text.strip():
                first = next(piece for piece in pending if piece[0].strip())
                lines.append(_Line(text.rstrip("\n"), first[1], first[2], first[3], page_number))
            pending.clear()

        def visit(text, cm, tm, font, size):
            if not text:
                return
            # Device coordinates: the text matrix applied to the current transformation.
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = (abs(tm[3] * cm[3]) or 1.0) if tm[3] else 1.0
            parts = text.split("\n")
            for index, part in enumerate(parts):
                if part:
                    pending.append((part, x, y, size * scale))
                if index < len(parts) - 1:
                    flush()

        page.extract_text(visitor_text=visit)
        flush()
    return lines


def _split_page_furniture(lines: list[_Line]) -> tuple[list[_Line], list[_Line]]:
    """Running heads, footers and page numbers apart from the article's own lines."""
    pages = {line.page for line in lines}
    repeated: set[str] = set()
    if len(pages) > 1:
        seen: dict[str, set[int]] = {}
        for line in lines:
            seen.setdefault(re.sub(r"\d+", "#", line.text.strip()), set()).add(line.page)
        repeated = {key for key, on_pages in seen.items() if len(on_pages) > 1}
    body_size = _body_font_size(lines)
    body, furniture = [], []
    for page in sorted(pages):
        on_page = [line for line in lines if line.page == page]
        body_ys = [line.y for line in on_page if abs(line.size - body_size) < 0.6]
        top, bottom = (max(body_ys), min(body_ys)) if body_ys else (float("inf"), float("-inf"))
        for line in on_page:
            in_margin = line.y > top + 1 or line.y < bottom - 1
            if (re.sub(r"\d+", "#", line.text.strip()) in repeated or _PAGE_NUMBER.match(line.text)
                    or (in_margin and line.size < body_size - 0.3)):
                furniture.append(line)
            else:
                body.append(line)
    return body, furniture


def _start_at_headline(body: list[_Line], furniture: list[_Line], title: str | None):
    """When the PDF's title metadata names the headline, the masthead, section label and
    other lines printed above it on the first page are page furniture too."""
    if not title:
        return body, furniture
    key = _squeeze(title)[:24]
    for index, line in enumerate(body):
        if line.page != 0:
            break
        if len(_squeeze(line.text)) >= 8 and key.startswith(_squeeze(line.text)[:24]):
            return body[index:], furniture + body[:index]
    return body, furniture


def _squeeze(text: str) -> str:
    return re.sub(r"\W+", "", text).lower()


def _body_font_size(lines: list[_Line]) -> float:
    weight: dict[float, int] = {}
    for line in lines:
        size = round(line.size, 1)
        weight[size] = weight.get(size, 0) + len(line.text)
    return max(weight, key=weight.get) if weight else 0.0


def _join_pdf_lines(lines: list[_Line]) -> str:
    """Lines to paragraphs: a paragraph ends at a wider gap, an indent, a font change or a
    short line that closes a sentence; a column or page change alone does not end one."""
    if not lines:
        return ""
    body_size = _body_font_size(lines)
    gaps = sorted(round(previous.y - line.y, 1) for previous, line in zip(lines, lines[1:])
                  if line.page == previous.page and abs(line.size - body_size) < 0.6
                  and abs(previous.size - body_size) < 0.6 and 0 < previous.y - line.y < 3 * body_size)
    leading = gaps[len(gaps) // 2] if gaps else body_size * 1.2
    body_lengths = sorted(len(line.text) for line in lines if abs(line.size - body_size) < 0.6)
    typical_length = body_lengths[len(body_lengths) * 3 // 4] if body_lengths else 60
    left_edges = _left_edges(lines)

    paragraphs: list[list[str]] = [[lines[0].text]]
    for previous, line in zip(lines, lines[1:]):
        if _starts_paragraph(previous, line, leading, body_size, typical_length, left_edges):
            paragraphs.append([line.text])
        else:
            paragraphs[-1].append(line.text)
    compounds = {match.group(0).lower() for line in lines for match in _COMPOUND.finditer(line.text)}
    return "\n\n".join(_join_wrapped(paragraph, compounds) for paragraph in paragraphs)


def _left_edges(lines: list[_Line]) -> list[float]:
    counts: dict[int, int] = {}
    for line in lines:
        counts[round(line.x)] = counts.get(round(line.x), 0) + 1
    return [float(x) for x, count in counts.items() if count >= 3]


def _starts_paragraph(previous: _Line, line: _Line, leading: float, body_size: float,
                      typical_length: int, left_edges: list[float]) -> bool:
    if abs(line.size - previous.size) > 0.5:
        return True
    indented = any(2 < line.x - edge < 6 * line.size for edge in left_edges) and not any(
        abs(line.x - edge) <= 2 for edge in left_edges)
    if indented:
        return True
    closes_sentence = previous.text.rstrip().endswith(_SENTENCE_END)
    if closes_sentence and len(previous.text.strip()) < 0.7 * typical_length:
        return True
    same_column = line.page == previous.page and abs(line.x - previous.x) < 3 * line.size
    if same_column and 0 < previous.y - line.y:
        # Body text has a measured leading; a headline's is about its own font size.
        if abs(line.size - body_size) < 0.6:
            return previous.y - line.y > 1.35 * leading
        return previous.y - line.y > 1.6 * line.size
    return False


_LINE_END_HYPHEN = re.compile(r"(?<=\S)[-\u00ad]$")
_COMPOUND = re.compile(r"\w+-\w+")


def _join_wrapped(pieces: list[str], compounds: set[str]) -> str:
    """Join the lines of one paragraph, undoing end-of-line hyphenation of a word.

    "deploy-" + "ment" gives "deployment"; the hyphen stays when the next part is not
    lower case ("U.S.-" + "Polish") or when the document writes that compound with a
    hyphen elsewhere ("dual-capable").
    """
    text = ""
    for piece in pieces:
        piece = piece.strip()
        if not text:
            text = piece
        elif _LINE_END_HYPHEN.search(text):
            head = re.search(r"(\w+)[-\u00ad]$", text)
            tail = re.match(r"\w+", piece)
            keep = (text.endswith("-") and (not piece[:1].islower() or head is None or tail is None
                                             or f"{head.group(1)}-{tail.group(0)}".lower() in compounds))
            text = (text if keep else text[:-1]) + piece
        else:
            text = f"{text} {piece}"
    return text


def _largest_line(lines: list[_Line]) -> str | None:
    first_page = [line for line in lines if line.page == 0]
    if not first_page:
        return None
    size = max(line.size for line in first_page)
    headline = [line.text.strip() for line in first_page if abs(line.size - size) < 0.3]
    return " ".join(headline)[:300] or None


def _date_in_furniture(furniture: list[_Line]) -> str | None:
    """An e-edition prints its date in the running head; use the first full date there."""
    from extract.dates import find_dates

    for line in furniture:
        if line.page != 0:
            continue
        for lang in ("en", "fr"):
            # Without a publication date to lean on, find_dates returns only dates that
            # carry their year; a bare month ("February 2022") is too vague to be one.
            for _start, _end, iso in find_dates(line.text, lang, None):
                if len(iso) == 10:
                    return iso
    return None


# --- DOCX -------------------------------------------------------------------------------

def _read_docx(data: bytes, filename: str, fmt: str) -> Document:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            damaged = archive.testzip()
            is_word = "word/document.xml" in archive.namelist()
        if not is_word:
            raise DocumentError(f"{filename}: is a zip archive but not a Word (.docx) document")
        if damaged:
            raise DocumentError(f"{filename}: the Word document is damaged ({damaged} is corrupt)")
        word = docx.Document(io.BytesIO(data))
    except DocumentError:
        raise
    except zipfile.BadZipFile:
        raise DocumentError(f"{filename}: the Word document is truncated or damaged (not a complete zip file)") from None
    except (PackageNotFoundError, KeyError, ValueError) as error:
        raise DocumentError(f"{filename}: is not a readable Word document ({error})") from None
    except Exception as error:  # lxml XMLSyntaxError and friends from a broken part
        raise DocumentError(f"{filename}: the Word document is damaged ({type(error).__name__}: {error})") from None

    blocks: list[str] = []
    for block in word.iter_inner_content():
        if hasattr(block, "rows"):
            rows = [_table_row(_unique_cells(row)) for row in block.rows]
            blocks.append("\n".join(row for row in rows if row))
        else:
            blocks.append(block.text)
    properties = word.core_properties
    created = properties.created
    return Document(text="\n\n".join(block.strip() for block in blocks if block.strip()),
                    title=(properties.title or "").strip() or _first_line_title("\n\n".join(blocks)),
                    source=filename, format=fmt,
                    published=created.date().isoformat() if created else None)


def _unique_cells(row) -> list[str]:
    """A row's cell texts; a merged cell is reported once per grid column, keep it once."""
    texts: list[str] = []
    previous = None
    for cell in row.cells:
        if cell._tc is not previous:
            texts.append(cell.text)
        previous = cell._tc
    return texts


# --- shared -----------------------------------------------------------------------------

# Invisible characters that split words for a tokenizer: soft hyphen, zero-width space,
# word joiner, stray byte-order marks. NBSP and the narrow NBSP stay: "3 000" needs them.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff"))
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _tidy(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    text = text.replace("\u2029", "\n\n").replace("\u2028", "\n").replace("\x0c", "\n\n")
    text = _CONTROL.sub("", text.translate(_INVISIBLE))
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = re.sub(r"\n[ \t]*\n(\s*\n)*", "\n\n", text)
    return text.strip()


@contextlib.contextmanager
def _quiet(*logger_names: str):
    """Silence a library's warnings about a file while we read it: we report our own."""
    loggers = [logging.getLogger(name) for name in logger_names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)
