"""python -m extract.geo [--lang fr|en] [--context TEXT] NAME... -> JSON array, one object or null per NAME."""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

from extract.geo import resolve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m extract.geo", description="Resolve place names offline.")
    parser.add_argument("--lang", choices=("en", "fr"))
    parser.add_argument("--context", help="text around the names (the article), used to disambiguate")
    parser.add_argument("names", nargs="+", metavar="NAME")
    args = parser.parse_args(argv)
    places = [resolve(name, context=args.context, lang=args.lang) for name in args.names]
    json.dump([asdict(p) if p else None for p in places], sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
