"""Dates, times, numbers, lists and names formatted for a reader's locale, with Babel.

Everything follows the locale's CLDR data (`ar_MA` writes `25 شتنبر 2022`
with Latin digits, as Moroccan administration does); nothing is assembled
from English word order.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

from babel import Locale
from babel.dates import format_date, format_time, parse_pattern
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent
from markupsafe import Markup, escape

from rihla.render.typography import list_separator

_ABBREVIATED_MONTH = re.compile(r"(?<![ML])(MMM|LLL)(?![ML])")


@dataclass(frozen=True)
class Formatter:
    """Formatting for one locale (`fr`, `ar_MA`): the site's setting for a language."""

    locale_name: str

    @cached_property
    def locale(self) -> Locale:
        return Locale.parse(self.locale_name)

    @cached_property
    def _formatted(self) -> dict[tuple[str, object], str]:
        """Dates, times and numbers already formatted: the same few hundred recur on
        thousands of pages, and Babel reads its patterns again at every call."""
        return {}

    def _memo(self, kind: str, value: object, format_value: Callable[[], str]) -> str:
        key = (kind, value)
        found = self._formatted.get(key)
        if found is None:
            found = self._formatted[key] = format_value()
        return found

    def date(self, value: dt.date | None) -> str:
        """`25 septembre 2022`, `25 شتنبر 2022`."""
        return self._memo("date", value, lambda: format_date(value, "long", locale=self.locale)) if value else ""

    def weekday_date(self, value: dt.date | None) -> str:
        """`dimanche 25 septembre 2022`."""
        return self._memo("weekday", value, lambda: format_date(value, "full", locale=self.locale)) if value else ""

    def date_range(self, start: dt.date, end: dt.date) -> str:
        """`25–28 septembre 2022`, `25 septembre – 5 octobre 2022`, `September 25 – October 5, 2022`.

        CLDR has interval patterns with abbreviated months only (`yMMMd`); they are
        widened to full month names, as ICU adjusts a skeleton's field widths.
        """
        if start == end or end < start:
            return self.date(start)
        patterns = self.locale.interval_formats.get("yMMMd")
        if not patterns:
            return f"{self.date(start)} – {self.date(end)}"
        differs = "y" if start.year != end.year else "M" if start.month != end.month else "d"
        parts = patterns.get(differs) or patterns.get("y")
        if not parts:
            return f"{self.date(start)} – {self.date(end)}"
        return "".join(
            parse_pattern(_ABBREVIATED_MONTH.sub(r"\1M", part)).apply(value, self.locale)
            for part, value in zip(parts, (start, end), strict=False)
        )

    def time(self, value: dt.time | None) -> str:
        """`09:30`, `9:30 AM`."""
        return self._memo("time", value, lambda: format_time(value, "short", locale=self.locale)) if value else ""

    def number(self, value: float | int | None) -> str:
        """`12 345`, `12.345,5`."""
        if value is None:
            return ""
        number = int(value) if float(value).is_integer() else value
        return self._memo("number", number, lambda: format_decimal(number, locale=self.locale))

    def percent(self, value: float | None) -> str:
        """A share as a percentage, rounded down so that 99.6 % is never shown as 100 %: `87 %`."""
        if value is None:
            return ""
        whole = int(value * 100) / 100
        return format_percent(whole, locale=self.locale)

    @property
    def separator(self) -> str:
        """Between items of a list of links: the Arabic comma in Arabic script, else a comma."""
        return list_separator(self.locale.language)

    def join(self, items: Iterable[str]) -> str:
        """`a, b et c`, `a وb وc`. Marked-up items (record texts from the `text` filter) stay
        markup: the others are escaped, and the result is markup too."""
        kept = [item for item in items if item]
        if not kept:
            return ""
        if any(isinstance(item, Markup) for item in kept):
            return Markup(format_list([str(escape(item)) for item in kept], locale=self.locale))
        return format_list(kept, locale=self.locale)

    def country(self, code: str) -> str:
        """The name of a country in the reader's language (`Belgique`)."""
        return str(self.locale.territories.get(code, code))

    def language(self, code: str) -> str:
        """The name of a language in the reader's language (`français`)."""
        return str(self.locale.languages.get(code, code))

    def languages(self, codes: Iterable[str]) -> str:
        """Names of languages in the reader's language, as a list: `néerlandais et arabe`."""
        return self.join([self.language(code) for code in codes])

    def language_in_itself(self, code: str) -> str:
        """The name of a language as its readers write it, capitalised for a menu (`Nederlands`)."""
        try:
            own = Locale.parse(code)
        except (ValueError, LookupError):
            return code
        name = str(own.languages.get(code, code))
        return name[:1].upper() + name[1:]
