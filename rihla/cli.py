"""`rihla`: the command line for staff who keep the records.

Kept light on purpose: it never imports MkDocs, so `rihla check` answers in a
fraction of a second (the time goes on importing pydantic and reading YAML).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rihla.diagnostics import RecordsError, Style

if TYPE_CHECKING:
    from rihla.knowledge import KnowledgeBase
    from rihla.load.loader import Origin
    from rihla.skeletons import Question

DEFAULT_RECORDS = "missions"
STATUS_GAPS_SHOWN = 20
"""Missing translations listed by `rihla status` without --all."""

EPILOG = """\
Typical use, from the project's folder (the one with mkdocs.yml):

  rihla new visit --mission belgium-2022 "Meeting at the NIDO Lab"
      then fill in the new visit in your editor
  rihla check
      fix what it lists, until it says "no problems"
  git add missions
  git commit -m "Add the visit to the NIDO Lab"
  git push
      the site is rebuilt and published a few minutes later

Run "rihla COMMAND --help" for the details of a command.
"""


# check ---------------------------------------------------------------------


def _load(records: Path, today: dt.date | None = None) -> tuple[KnowledgeBase, dict[tuple[str, str], Origin]]:
    """The knowledge base and where each record was written (progress judged as of `today`); raises RecordsError."""
    from rihla.load import load_with_origins
    from rihla.site_language import default_language

    # mkdocs.yml beside the records folder says which language shared plain texts are in.
    return load_with_origins(records, default_language(records.resolve().parent / "mkdocs.yml"), today=today)


def _load_or_report(records: Path) -> tuple[KnowledgeBase, dict[tuple[str, str], Origin]] | None:
    """The records, or None once their problems are printed (for commands that need valid records)."""
    try:
        return _load(records)
    except RecordsError as error:
        print(
            "The records have problems; fix them first (they are listed below, as by `rihla check`).", file=sys.stderr
        )
        _report_problems(error, Style.TEXT)
        return None


def _report_problems(error: RecordsError, style: Style) -> int:
    # Annotations must reach the workflow's log (stdout); people read problems on stderr.
    print(error.report(style), file=sys.stdout if style is Style.GITHUB else sys.stderr)
    return 1


def _check(args: argparse.Namespace) -> int:
    style = Style(args.format)
    try:
        knowledge, _ = _load(Path(args.records), args.build_date)
    except RecordsError as error:
        return _report_problems(error, style)
    kinds = {"mission": "missions", "visit": "visits", "organisation": "organisations", "person": "people",
             "lesson": "lessons", "action": "actions"}
    counts = ", ".join(
        f"{len(knowledge.by_kind(kind))} {kind if len(knowledge.by_kind(kind)) == 1 else plural}"
        for kind, plural in kinds.items()
    )
    print(f"{args.records}: no problems ({counts}).")
    return 0


# new -----------------------------------------------------------------------


def _new(args: argparse.Namespace) -> int:
    from rihla.site_language import default_language
    from rihla.skeletons import Question, SkeletonError, new_record

    while True:
        try:
            written, text = new_record(
                Path(args.records), args.kind, title=args.title, record_id=args.id, mission=args.mission,
                dry_run=args.print, country=args.country, timezone=args.timezone, language=args.language,
                shared_language=default_language(Path(args.records).resolve().parent / "mkdocs.yml"),
            )
            break
        except Question as question:
            # In a terminal, ask; in a script or a pipeline, say which option answers it.
            answer = _ask(question) if sys.stdin.isatty() and sys.stdout.isatty() else None
            if not answer:
                print(f"rihla new: {question}", file=sys.stderr)
                return 1
            setattr(args, question.option, answer)
        except SkeletonError as error:
            print(f"rihla new: {error}", file=sys.stderr)
            return 1
    if args.print:
        sys.stdout.write(text.lstrip("\n"))
        return 0
    from rihla.load.loader import display_path

    where = f"{display_path(written.path)}:{written.line}"
    if not written.appended:
        how = "written in a new file,"
    else:
        how = "added at the end of" if written.at_end else f"added at the end of the {written.section} list in"
    print(f"New {written.kind} {written.record_id!r} {how} {where}")
    print("Next: fill in the fields marked REQUIRED, then run: rihla check")
    return 0


def _ask(question: Question) -> str:
    """The answer typed in the terminal; empty when the person gives up (Ctrl+D, Ctrl+C, nothing)."""
    names = {
        "country": "Country visited (ISO code, such as EE)",
        "timezone": "Time zone",
        "language": "Language of the texts",
        "mission": "Mission",
    }
    choices = f" [{', '.join(question.choices)}]" if question.choices else ""
    print(f"rihla new: {question}", file=sys.stderr)
    try:
        return input(f"{names.get(question.option, question.option)}{choices}: ").strip()
    except (EOFError, KeyboardInterrupt):
        print(file=sys.stderr)
        return ""


# status --------------------------------------------------------------------


def _percent(part: int, whole: int) -> str:
    return f"{(100 * part // whole) if whole else 100}%"


def _status(args: argparse.Namespace) -> int:
    from rihla.model.text import LANGUAGES
    from rihla.status import followup_report, translation_report

    languages = tuple(code.strip() for code in args.languages.split(",") if code.strip())
    unknown = [code for code in languages if code not in LANGUAGES]
    if unknown or not languages:
        print(
            f"rihla status: unknown language {unknown[0] if unknown else ''!r}; use some of: {','.join(LANGUAGES)}",
            file=sys.stderr,
        )
        return 2
    loaded = _load_or_report(Path(args.records))
    if loaded is None:
        return 1
    knowledge, origins = loaded

    translations = translation_report(knowledge, languages)
    print("Translations: how many texts are written in each language")
    name_width = max([len("shared records"), *(len(scope.mission or "") for scope in translations.scopes)])
    header = "".join(f"  {code:>10}" for code in languages)
    print(f"  {'':<{name_width}}  {'texts':>5}{header}")
    for scope in translations.scopes:
        cells = "".join(
            f"  {scope.written[code]:>5} {_percent(scope.written[code], scope.texts):>4}" for code in languages
        )
        print(f"  {scope.mission or 'shared records':<{name_width}}  {scope.texts:>5}{cells}")
    gaps = translations.gaps
    if gaps:
        shown = gaps if args.all else gaps[:STATUS_GAPS_SHOWN]
        print(f"\n{len(gaps)} text{'s' if len(gaps) != 1 else ''} not yet in every language:")
        for gap in shown:
            origin = origins.get((gap.kind, gap.record_id))
            position = origin.at(gap.path) if origin else None
            where = f"{origin.path}:{position.line}:{position.column}: " if origin and position else ""
            print(f"  {where}{gap.kind} {gap.record_id!r}, {gap.field}: missing {', '.join(gap.missing)}")
        if len(shown) < len(gaps):
            print(f"  … and {len(gaps) - len(shown)} more (see them all with: rihla status --all)")
    else:
        print("\nEvery text is written in every language.")

    followup = followup_report(knowledge, args.today)
    print(f"\nFollow-up of the actions, on {followup.today.isoformat()}")
    print("  " + " · ".join(f"{status.replace('-', ' ')} {count}" for status, count in followup.counts.items()))
    if followup.overdue:
        print(f"\n{len(followup.overdue)} action{'s' if len(followup.overdue) != 1 else ''} past the due date:")
        for entry in followup.overdue:
            origin = origins.get(("action", entry.action.id))
            position = origin.at(("due",)) if origin else None
            where = f"{origin.path}:{position.line}:{position.column}: " if origin and position else ""
            print(
                f"  {where}action {entry.action.id!r} ({entry.status.replace('-', ' ')}) was due "
                f"{entry.action.due}, {entry.days_overdue} day{'s' if entry.days_overdue != 1 else ''} ago; "
                f"last update {entry.last_update}"
            )
    else:
        print("  No action is past its due date.")
    return 0


# translations ----------------------------------------------------------------


def _settings_languages(records: Path) -> tuple[str, tuple[str, ...]]:
    """The site's default language (from mkdocs.yml beside the records, as `check` reads it) and
    the default fallback order."""
    from rihla.render.settings import SiteSettings
    from rihla.site_language import default_language

    return default_language(records.resolve().parent / "mkdocs.yml"), SiteSettings().fallback_order


def _translations_export(args: argparse.Namespace) -> int:
    from rihla.model.text import LANGUAGES
    from rihla.translations.exchange import ExchangeError, export_language

    if args.lang not in LANGUAGES:
        known = ", ".join(LANGUAGES)
        print(f"rihla translations export: unknown language {args.lang!r}; use one of: {known}", file=sys.stderr)
        return 2
    loaded = _load_or_report(Path(args.records))
    if loaded is None:
        return 1
    knowledge, origins = loaded
    destination = Path(args.output or f"translations-{args.lang}.po")
    try:
        default_language, fallback_order = _settings_languages(Path(args.records))
        summary = export_language(
            knowledge, origins, args.lang, destination, default_language=default_language, fallback_order=fallback_order
        )
    except ExchangeError as error:
        print(f"rihla translations export: {error}", file=sys.stderr)
        return 1
    print(
        f"{destination}: {summary.missing} text{'s' if summary.missing != 1 else ''} to translate, "
        f"{summary.outdated} outdated (source changed since translated, marked fuzzy). "
        f"Send it to the translator; bring it back with: rihla translations import {destination}"
    )
    return 0


def _translations_import(args: argparse.Namespace) -> int:
    from rihla.translations.exchange import ExchangeError, apply_translations, read_translations
    from rihla.translations.slots import text_slots

    records = Path(args.records)
    loaded = _load_or_report(records)
    if loaded is None:
        return 1
    knowledge, origins = loaded
    default_language, fallback_order = _settings_languages(records)
    slots = list(text_slots(knowledge, origins, default_language, fallback_order))
    files = sorted({slot.file for slot in slots})
    before = {path: path.read_bytes() for path in files}
    try:
        language, entries = read_translations(Path(args.file))
        summary = apply_translations(slots, language, entries)
    except ExchangeError as error:
        _restore(before)
        print(f"rihla translations import: {error}", file=sys.stderr)
        return 1
    for reason in summary.skipped:
        print(f"skipped: {reason}", file=sys.stderr)
    try:
        _load(records)
    except RecordsError as error:
        _restore(before)
        print("The translations make the records invalid; nothing was written. Problems:", file=sys.stderr)
        return _report_problems(error, Style.TEXT)
    print(
        f"{args.file}: {summary.written} {language} text{'s' if summary.written != 1 else ''} written into "
        f"{len(summary.files)} file{'s' if len(summary.files) != 1 else ''}; records checked, no problems."
    )
    return 1 if summary.skipped and not summary.written else 0


def _restore(contents: dict[Path, bytes]) -> None:
    for path, content in contents.items():
        try:
            if path.read_bytes() != content:
                path.write_bytes(content)
        except OSError as error:
            print(f"{path}: could not be put back as it was ({error.strerror or error})", file=sys.stderr)


# schemas -------------------------------------------------------------------


def _schemas(args: argparse.Namespace) -> int:
    from rihla.model.schema import stale_schemas, write_schemas

    folder = Path(args.folder)
    if args.check:
        stale = stale_schemas(folder)
        for name in stale:
            print(f"{folder.as_posix()}/{name}: out of date with the model", file=sys.stderr)
        if stale:
            print("Regenerate them with: rihla schemas (or make schemas), then commit them.", file=sys.stderr)
        return 1 if stale else 0
    changed = write_schemas(folder)
    print(
        f"{folder.as_posix()}: {len(changed)} schema{'s' if len(changed) != 1 else ''} written"
        if changed
        else f"{folder.as_posix()}: schemas already up to date"
    )
    return 0


# parser --------------------------------------------------------------------


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date written as 2025-01-31, not {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rihla",
        description="Keep the study-mission records in missions/ correct, then publish them with git push. "
        "rihla speaks English; the staff guide explains its messages in French, Dutch, English and Arabic.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser(
        "check",
        help="check every record and list every problem with its file and line",
        description="Check every record in the records folder. Each problem is printed on one line as "
        "file:line:column: field: what is wrong and how to fix it. Ends with an error code (1) when there "
        "is any problem, so that nothing wrong gets published.",
    )
    check.add_argument("records", nargs="?", default=DEFAULT_RECORDS, help="the records folder (default: missions)")
    check.add_argument(
        "--format",
        choices=[style.value for style in Style],
        default=Style.TEXT.value,
        help="text for people (default), github for GitHub Actions annotations on the pushed lines",
    )
    check.add_argument(
        "--build-date",
        type=_date,
        default=os.environ.get("RIHLA_BUILD_DATE") or None,
        help="refuse progress dated after this day (default: RIHLA_BUILD_DATE, else today)",
    )
    check.set_defaults(run=_check)

    from rihla.skeletons import NEW_KINDS

    new = commands.add_parser(
        "new",
        help="add an empty record to fill in: a mission, visit, organisation, person, lesson or action",
        description="Add a new record with every field, a comment saying what goes in each, and an empty "
        "line per language for each text. Visits, lessons and actions go in their mission's folder; "
        "organisations, people, themes and cities in the shared files. The record is added at the end of "
        "its list in the file that holds records of its kind (for example missions/belgium-2022/visits.yml), "
        "keeping every comment and line of the file, or in a new file. A taken id gets a number (-2, -3). "
        "A new mission's time zone comes from --country; when the country has several, or the missions "
        "are written in different languages, rihla new asks (in a terminal) or says which option to give.",
        epilog='Examples:\n  rihla new visit --mission belgium-2022 "Meeting at the NIDO Lab"\n'
        '  rihla new organisation "Digital Agency"\n'
        '  rihla new mission "Study mission to Estonia" --country EE --language fr',
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    new.add_argument("kind", choices=NEW_KINDS, metavar="KIND", help=f"what to add: {', '.join(NEW_KINDS)}")
    new.add_argument("title", nargs="?", help="its title or name, in the mission's language (also makes the id)")
    new.add_argument(
        "--mission", help="the mission's id, for a visit, lesson or action (not needed when there is one mission)"
    )
    new.add_argument("--id", help="the id to use, instead of one made from the title; refused if it is taken")
    new.add_argument("--country", help="for a mission: the country visited, as an ISO code (EE); sets its time zone")
    new.add_argument(
        "--timezone",
        help="for a mission: the time zone of the programme (Europe/Tallinn), when the country has several",
    )
    new.add_argument("--language", help="for a mission: the language its plain texts are written in (fr, nl, en or ar)")
    new.add_argument("--records", default=DEFAULT_RECORDS, help="the records folder (default: missions)")
    new.add_argument("--print", action="store_true", help="only show the record, write nothing")
    new.set_defaults(run=_new)

    status = commands.add_parser(
        "status",
        help="show what is translated and how the follow-up of actions is going",
        description="For each mission and for the shared records: how many texts are written in each "
        "language, and which texts still miss a language. Then how many actions are in each status, "
        "and which are past their due date.",
    )
    status.add_argument("records", nargs="?", default=DEFAULT_RECORDS, help="the records folder (default: missions)")
    status.add_argument(
        "--languages", default="fr,nl,en,ar", help="languages to count, comma-separated (default: fr,nl,en,ar)"
    )
    status.add_argument(
        "--all", action="store_true", help=f"list every missing translation, not only the first {STATUS_GAPS_SHOWN}"
    )
    status.add_argument(
        "--today", type=_date, default=dt.date.today(), help="count overdue actions as of this day (default: today)"
    )
    status.set_defaults(run=_status)

    translations = commands.add_parser(
        "translations",
        help="send the texts a language lacks to a translator (PO file) and bring the translations back",
        description="export writes every text a language lacks, or whose source changed after it was "
        "translated, as a PO file any translation tool opens (Poedit, Weblate, OmegaT); import writes "
        "the translations of such a file back into the records, leaving everything else as it is, "
        "then checks the records.",
    )
    exchange = translations.add_subparsers(dest="action", required=True, metavar="ACTION")
    export = exchange.add_parser("export", help="write a PO file of what a language lacks")
    export.add_argument("--lang", required=True, help="the language to translate into: fr, nl, en or ar")
    export.add_argument("-o", "--output", help="the file to write (default: translations-LANG.po)")
    export.add_argument("--records", default=DEFAULT_RECORDS, help="the records folder (default: missions)")
    export.set_defaults(run=_translations_export)
    import_ = exchange.add_parser("import", help="write a translated PO file back into the records")
    import_.add_argument("file", help="the PO file the translator sent back")
    import_.add_argument("--records", default=DEFAULT_RECORDS, help="the records folder (default: missions)")
    import_.set_defaults(run=_translations_import)

    schemas = commands.add_parser(
        "schemas",
        help="(for developers) write the JSON Schemas editors use to check records as you type",
        description="Write the JSON Schemas of the record files, generated from the model, into a folder "
        "(default: schemas). Run it after changing rihla/model/records.py, and commit the result.",
    )
    schemas.add_argument("folder", nargs="?", default="schemas", help="where to write them (default: schemas)")
    schemas.add_argument("--check", action="store_true", help="write nothing; fail if the files differ from the model")
    schemas.set_defaults(run=_schemas)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, extras = parser.parse_known_args(argv)
    # argparse gives an optional positional its chance before the options are read:
    # `rihla new visit --mission x "Title"` leaves the title over. It is the title.
    if args.command == "new" and args.title is None and len(extras) == 1 and not extras[0].startswith("-"):
        args.title, extras = extras[0], []
    if extras:
        parser.error(f"unrecognized arguments: {' '.join(extras)}")
    return int(args.run(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
