"""Pairs of a corpus topic and a blind-set topic that look like the same event (a reviewer's aid).

    python corpus/tools/overlap.py

Reads the one-line topics every writer registered (corpus/topics/*.tsv) and prints corpus
articles whose topic shares a year and at least three other words with a bench/blind3 topic.
Each pair printed was judged by hand: the corpus article was removed (corpus/topics/removed.tsv)
when it told the same movement, kept when it told another force's move in the same crisis.
"""
from __future__ import annotations

import re
from pathlib import Path

TOPICS = Path(__file__).resolve().parents[1] / "topics"
IGNORED = {"troops", "soldiers", "soldaten", "soldats", "soldados", "militares", "army", "armée", "bundeswehr",
           "with", "from", "into", "after", "mission", "troupes", "tropas", "deployment", "déploiement",
           "despliegue", "report", "wire", "brief", "release", "analysis", "social", "webpage", "liveblog",
           "parliament", "nach", "pour", "para", "des", "les", "der", "die", "und", "the"}


def words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-zÀ-ÿ][\wÀ-ÿ'-]{3,}|\d{4}", text)} - IGNORED


def topics(pattern: str) -> list[tuple[str, str]]:
    out = []
    for path in sorted(TOPICS.glob(pattern)):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "\t" in line:
                article_id, topic = line.split("\t")[:2]
                out.append((article_id, topic))
    return out


def main() -> None:
    removed = {article_id for article_id, _ in topics("removed.tsv")}
    blind = topics("b[0-9].tsv")
    for article_id, topic in topics("w*.tsv"):
        common_with = [(b, bt) for b, bt in blind
                       if len(words(topic) & words(bt)) >= 3 and any(w.isdigit() for w in words(topic) & words(bt))]
        for b, bt in common_with:
            verdict = "removed" if article_id in removed else "kept"
            print(f"{verdict:7} {article_id}: {topic[:60]}  ~  {b}: {bt[:60]}")


if __name__ == "__main__":
    main()
