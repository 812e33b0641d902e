"""Reading and extraction in a child process, so that an article past its time budget can be stopped.

A thread cannot be interrupted in the middle of spaCy; a process can. Each ingest worker keeps one
child (:class:`ReaderProcess`) that loads the models once and reads batches of articles through
``extract_many`` (one ``nlp.pipe`` pass per language). When a batch runs past its budget the child
is killed and restarted, and the batch's articles are read again one at a time, each with the
whole budget, so that only the article that really runs too long is recorded as failed.

Run as ``python -m extract.reader_process``: it answers requests on standard input/output, one
pickled frame each (8-byte length, then the pickle).
"""
from __future__ import annotations

import os
import pickle
import select
import struct
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Optional

from extract.documents import DocumentError, document_from_text, read_document
from extract.sources import Item


@dataclass
class Outcome:
    """What became of one item: read and extracted (``reason`` None), or failed with a reason."""
    label: str
    reason: Optional[str] = None
    text: Optional[str] = None
    title: Optional[str] = None
    published: Optional[str] = None
    lang: Optional[str] = None
    frame: object = None                       # the article's deployments (pandas DataFrame)
    warnings: list[str] = field(default_factory=list)


class BudgetExceeded(Exception):
    pass


class ReaderDied(Exception):
    pass


def read_batch(items: list[Item], lang: Optional[str], published: Optional[str], engine: Optional[str]) -> list[Outcome]:
    """Read and extract a batch in this process. A bad article gives a failed Outcome, never an exception."""
    from extract.pipeline import extract_many

    outcomes: list[Outcome] = []
    readable: dict[Optional[str], list[tuple[int, str]]] = {}   # language -> (outcome index, text)
    for item in items:
        outcome = Outcome(item.label)
        outcomes.append(outcome)
        if item.problem:
            outcome.reason = item.problem
            continue
        try:
            document = (read_document(item.data, item.label) if item.data is not None
                        else document_from_text(item.text, item.label, item.title, item.published))
        except DocumentError as error:
            outcome.reason = str(error)
            continue
        except Exception as error:  # noqa: BLE001 - a reader library's own bug costs this article only
            outcome.reason = f"{item.label}: cannot be read ({type(error).__name__}: {error})"
            continue
        outcome.text, outcome.title = document.text, document.title
        outcome.published = item.published or document.published or published   # the default is for those with none
        readable.setdefault(lang or item.lang, []).append((len(outcomes) - 1, document.text))
    for reading_lang, entries in readable.items():
        try:
            frames = extract_many([text for _i, text in entries], lang=reading_lang,
                                  published=[outcomes[i].published for i, _t in entries], engine=engine)
        except Exception as error:  # noqa: BLE001 - one article's crash must not lose the batch: read singly
            if len(entries) == 1:
                outcomes[entries[0][0]].reason = f"{outcomes[entries[0][0]].label}: extraction failed ({type(error).__name__}: {error})"
                continue
            for index, text in entries:
                single = read_batch([Item(outcomes[index].label, text=text)], reading_lang, outcomes[index].published, engine)[0]
                outcomes[index].frame, outcomes[index].reason = single.frame, single.reason
            continue
        for (index, _text), frame in zip(entries, frames):
            outcomes[index].frame = frame
            outcomes[index].warnings = list(frame.attrs.get("warnings", []))
            outcomes[index].lang = frame["lang"].dropna().iloc[0] if frame["lang"].notna().any() else reading_lang
    return outcomes


# -- the parent's side ------------------------------------------------------------------------------

class ReaderProcess:
    """One child process that reads batches; restarted after it is killed for running too long."""

    def __init__(self) -> None:
        self._child: Optional[subprocess.Popen] = None

    def _start(self) -> None:
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])))
        self._child = subprocess.Popen([sys.executable, "-m", "extract.reader_process"], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, env=env)
        # The models load before the first budget starts: loading is not the article's fault.
        if self._receive(timeout=None) != "ready":
            raise ReaderDied("the reader process did not start")

    def read(self, items: list[Item], lang, published, engine, budget: float) -> list[Outcome]:
        if self._child is None or self._child.poll() is not None:
            self._start()
        _send(self._child.stdin, (items, lang, published, engine))
        return self._receive(timeout=budget)

    def stop(self) -> None:
        if self._child is not None:
            self._child.kill()
            self._child.wait()
            self._child = None

    def _receive(self, timeout: Optional[float]):
        deadline = None if timeout is None else time.monotonic() + timeout
        stream = self._child.stdout
        header = self._read_exactly(stream, 8, deadline)
        return pickle.loads(self._read_exactly(stream, struct.unpack(">Q", header)[0], deadline))

    def _read_exactly(self, stream, size: int, deadline: Optional[float]) -> bytes:
        chunks, left = [], size
        while left:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _w, _x = select.select([stream], [], [], wait)
            if not ready:
                self.stop()
                raise BudgetExceeded
            chunk = os.read(stream.fileno(), min(left, 1 << 20))
            if not chunk:
                self.stop()
                raise ReaderDied("the reader process died")
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)


def read_within_budget(reader: ReaderProcess, items: list[Item], lang, published, engine, budget: float) -> list[Outcome]:
    """Outcomes of a batch; past the budget (or a crash), each article again alone, each with the budget."""
    try:
        return reader.read(items, lang, published, engine, budget)
    except (BudgetExceeded, ReaderDied) as problem:
        if len(items) > 1:
            return [outcome for item in items
                    for outcome in read_within_budget(reader, [item], lang, published, engine, budget)]
        why = (f"took longer than the {budget:g} s budget for one article (TROOPMAP_ARTICLE_SECONDS)"
               if isinstance(problem, BudgetExceeded) else "the reading process crashed on it")
        return [Outcome(items[0].label, reason=f"{items[0].label}: {why}")]


def _send(stream, value) -> None:
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack(">Q", len(payload)) + payload)
    stream.flush()


def main() -> None:
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr      # a stray print() must not corrupt the frames
    # Models, gazetteer and rule files load here, before any article's budget starts.
    from extract.pipeline import extract_many
    extract_many(["The Pentagon said 300 soldiers will be sent from Germany to Poland."], lang="en", engine="rules")
    _send(replies, "ready")
    while True:
        header = requests.read(8)
        if len(header) < 8:
            return
        items, lang, published, engine = pickle.loads(requests.read(struct.unpack(">Q", header)[0]))
        _send(replies, read_batch(items, lang, published, engine))


if __name__ == "__main__":
    # Through the module's own name, so the Outcomes pickle as extract.reader_process.Outcome.
    from extract.reader_process import main as serve
    serve()
