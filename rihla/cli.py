"""`rihla`: the command line for staff who keep the records."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from rihla.diagnostics import RecordsError, Style
from rihla.load import load_knowledge_base


def _check(args: argparse.Namespace) -> int:
    style = Style(args.format)
    try:
        knowledge = load_knowledge_base(Path(args.records))
    except RecordsError as error:
        print(error.report(style), file=sys.stdout if style is Style.GITHUB else sys.stderr)
        return 1
    counts = ", ".join(f"{len(knowledge.by_kind(kind))} {kind}s" for kind in ("mission", "visit", "organisation", "lesson", "action"))
    print(f"{args.records}: no problems ({counts}).")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rihla",
        description="Keep the study-mission records in missions/ correct, then publish them with git push.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser(
        "check",
        help="check every record and list every problem with its file and line",
        description="Check every record in the records folder. Each problem is printed as "
        "path:line:column: field: message. Exits with 1 when there is any problem.",
    )
    check.add_argument("records", nargs="?", default="missions", help="the records folder (default: missions)")
    check.add_argument(
        "--format",
        choices=[style.value for style in Style],
        default=Style.TEXT.value,
        help="text for people (default), github for GitHub Actions annotations on the pushed lines",
    )
    check.set_defaults(run=_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
