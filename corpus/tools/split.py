"""Move written articles from corpus/incoming/ into corpus/train/ or corpus/valid/, by a fixed rule.

    python corpus/tools/split.py [PREFIX ...]     # only ids starting with a prefix, e.g. en- fr-

The rule, decided once and never tuned: an article goes to valid/ when the SHA-256 of its id
(the file name without extension, e.g. "de-w5-017"), read as a hexadecimal number, is 0–14
modulo 100 — about 15 % of every language and every writer — and to train/ otherwise. The rule
depends on the id alone, so an article's side never changes however many articles join later.
Only pairs whose key passes corpus/tools/check_keys.py are moved. Articles listed in
corpus/topics/removed.tsv (same event as a blind article) or corpus/topics/repeated.tsv (same event
as another corpus article, written at the same time) are deleted, not moved.
"""
from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_keys import check_key  # noqa: E402

CORPUS = Path(__file__).resolve().parents[1]
VALID_SHARE = 15  # percent


def side(article_id: str) -> str:
    digest = int(hashlib.sha256(article_id.encode("utf-8")).hexdigest(), 16)
    return "valid" if digest % 100 < VALID_SHARE else "train"


def main(prefixes: list[str]) -> int:
    incoming = CORPUS / "incoming"
    moved = {"train": 0, "valid": 0}
    held = []
    removed = {line.split("\t")[0] for name in ("removed.tsv", "repeated.tsv")
               if (CORPUS / "topics" / name).exists()
               for line in (CORPUS / "topics" / name).read_text(encoding="utf-8").splitlines()}
    for key_path in sorted(incoming.glob("*.json")):
        if prefixes and not key_path.stem.startswith(tuple(prefixes)):
            continue
        if key_path.stem in removed:
            key_path.unlink()
            key_path.with_suffix(".txt").unlink(missing_ok=True)
            continue
        problems = check_key(key_path)
        if problems:
            held.append((key_path.stem, problems[0]))
            continue
        target = CORPUS / side(key_path.stem)
        target.mkdir(exist_ok=True)
        for path in (key_path, key_path.with_suffix(".txt")):
            shutil.move(str(path), target / path.name)
        moved[target.name] += 1
    print(f"moved: train {moved['train']}, valid {moved['valid']}; held back (key problems): {len(held)}")
    for article_id, problem in held:
        print(f"  {article_id}: {problem}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
