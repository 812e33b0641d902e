"""Counts of a corpus by language and by row of the variety matrix (corpus/BRIEF.md).

    python corpus/tools/stats.py corpus/train corpus/valid      # the whole corpus
    python corpus/tools/stats.py bench/blind3

Tags come from each key's `meta`; separators, length and negatives are read from the files
themselves. A matrix row under 5 % of the articles is marked with '<'. Paragraphs shared by two
articles are listed: the brief forbids them.
"""
from __future__ import annotations

import json
import re
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path

MATRIX = {
    "genre": ["wire", "report", "analysis", "liveblog", "release", "parliament", "brief", "social", "webpage"],
    "movements": ["deployment", "reinforcement", "rotation", "withdrawal", "evacuation", "domestic",
                  "advance_party", "between_theatres"],
    "figures": ["comma", "point", "space", "nbsp", "nnbsp", "words", "approx", "range", "more_than",
                "breakdown", "increment", "several_per_sentence", "no_figure"],
    "distractors": ["casualties", "budget", "equipment", "garrison", "army_size", "enemy", "years",
                    "distance", "phone", "past_deployment", "alert", "hypothetical"],
}
MISSIONS = {
    "UN": r"\b(UN|ONU|UNO|Vereinte[n]? Nationen|Naciones Unidas|United Nations|Nations unies|MINUS\w*|MONUSCO|UNIFIL|FINUL|UNMISS|UNDOF|UNFICYP|MINURSO|UNAMSIL|UNMIL|MINUSTAH|Casques bleus|Blauhelm\w*|cascos azules|blue helmets|peacekeep\w*)\b",
    "AU": r"\b(African Union|Union africaine|Afrikanische[n]? Union|Unión Africana|AMISOM|ATMIS|AUSSOM|AMIS|MISCA|AFISMA|MISMA|UA)\b",
    "ECOWAS": r"(?i)\b(ECOWAS|CEDEAO|C[ée]d[ée]ao|ECOMOG|ECOMIG|ECOMIB|ECOMIL|ECOMICI|MICEGA|MISMA|Westafrikanische Wirtschaftsgemeinschaft|Comunidad Econ[óo]mica de Estados de [ÁA]frica Occidental)\b",
    "SADC": r"\b(SADC|SAMIM|SAMIDRC)\b",
    "EU": r"\b(EUFOR|EUTM|EUCAP|Atalanta|Atalante|Aspides|EU mission|mission de l'UE|EU-Mission|misión de la UE|EUNAVFOR|Union européenne|European Union|Europäische[n]? Union|Unión Europea)\b",
    "NATO": r"\b(NATO|OTAN|Otan|KFOR|ISAF|SFOR|IFOR|eFP|Resolute Support)\b",
    "private_groups": r"\b(Wagner|Africa Corps|Afrika-Korps|PMC|private military|société militaire privée|Söldner\w*|mercenar\w*)\b",
}
SEPARATORS = {
    "comma": r"\b\d{1,3}(,\d{3})+\b",
    "point": r"\b\d{1,3}(\.\d{3})+\b(?![.,]\d)",
    "space": r"\b\d{1,3}( \d{3})+\b",
    "nbsp": r"\b\d{1,3}(\u00a0\d{3})+\b",
    "nnbsp": r"\b\d{1,3}(\u202f\d{3})+\b",
}


def load(folders: list[Path]) -> list[tuple[Path, dict, str]]:
    cases = []
    for folder in folders:
        for key_path in sorted(folder.glob("*.json")):
            text_path = key_path.with_suffix(".txt")
            if text_path.exists():
                cases.append((key_path, json.loads(key_path.read_text(encoding="utf-8")),
                              text_path.read_text(encoding="utf-8")))
    return cases


def shared_paragraphs(cases) -> list[tuple[str, str, str]]:
    seen: dict[str, str] = {}
    out = []
    for key_path, _key, text in cases:
        for para in re.split(r"\n\s*\n", text):
            norm = " ".join(para.split())
            if len(norm) < 120:  # menus, cookie notices and datelines may repeat
                continue
            if norm in seen and seen[norm] != key_path.stem:
                out.append((seen[norm], key_path.stem, norm[:70]))
            seen.setdefault(norm, key_path.stem)
    return out


def main(argv: list[str]) -> int:
    folders = [Path(a) for a in argv] or [Path("corpus/train"), Path("corpus/valid")]
    cases = load(folders)
    n = len(cases)
    if not n:
        print("no articles")
        return 1
    by_lang = Counter(key.get("lang") for _, key, _ in cases)
    negatives = sum(1 for _, key, _ in cases if not key.get("deployments"))
    words = [len(text.split()) for _, _, text in cases]
    required = sum(1 for _, key, _ in cases for r in key.get("deployments", []) if r.get("required"))
    print(f"articles {n}: " + " ".join(f"{lang} {c}" for lang, c in sorted(by_lang.items())))
    print(f"required rows {required}; negative articles {negatives} ({negatives / n:.0%})")
    print(f"words: min {min(words)}, median {statistics.median(words):.0f}, max {max(words)}")
    counts: dict[str, Counter] = defaultdict(Counter)
    forces: Counter = Counter()
    for _, key, text in cases:
        meta = key.get("meta") or {}
        counts["genre"][meta.get("genre")] += 1
        for block in ("movements", "figures", "distractors"):
            for tag in set(meta.get(block) or []):
                counts[block][tag] += 1
        for tag, pattern in SEPARATORS.items():
            if re.search(pattern, text):
                counts["separators (read from the text)"][tag] += 1
        for tag, pattern in MISSIONS.items():
            if re.search(pattern, text):
                counts["missions (read from the text)"][tag] += 1
        if meta.get("distance"):
            counts["distance"]["distance"] += 1
        forces.update({r["force"] for r in key.get("deployments", []) if r.get("force")})
    rows = dict(MATRIX)
    rows["separators (read from the text)"] = list(SEPARATORS)
    rows["missions (read from the text)"] = list(MISSIONS)
    rows["distance"] = ["distance"]
    for block, tags in rows.items():
        cells = []
        for tag in tags:
            c = counts[block][tag]
            cells.append(f"{tag} {c} ({c / n:.0%}){' <' if c / n < 0.05 else ''}")
        print(f"{block}: " + ", ".join(cells))
    print(f"forces moving: {len(forces)} countries ({', '.join(sorted(forces))})")
    dups = shared_paragraphs(cases)
    for a, b, para in dups:
        print(f"shared paragraph: {a} and {b}: {para}...")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
