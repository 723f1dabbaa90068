"""Dates, times, numbers and names formatted for a reader's locale, with Babel."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from babel import Locale
from babel.dates import format_date, format_skeleton, format_time
from babel.lists import format_list
from babel.numbers import format_decimal


@dataclass(frozen=True)
class Formatter:
    """Formatting for one locale (`fr`, `ar_MA`): the site's setting for a language."""

    locale_name: str

    @cached_property
    def locale(self) -> Locale:
        return Locale.parse(self.locale_name)

    def date(self, value: dt.date | None) -> str:
        """`25 septembre 2022`, `25 شتنبر 2022`."""
        return format_date(value, "long", locale=self.locale) if value else ""

    def weekday_date(self, value: dt.date | None) -> str:
        """`dimanche 25 septembre 2022`."""
        return format_date(value, "full", locale=self.locale) if value else ""

    def date_range(self, start: dt.date, end: dt.date) -> str:
        """`25 septembre – 5 octobre 2022`; month names as the locale writes them alone."""
        if start == end:
            return self.date(start)
        if start.year == end.year:
            return f"{format_skeleton('MMMMd', start, locale=self.locale)} – {self.date(end)}"
        return f"{self.date(start)} – {self.date(end)}"

    def time(self, value: dt.time | None) -> str:
        return format_time(value, "short", locale=self.locale) if value else ""

    def number(self, value: float | int | None) -> str:
        if value is None:
            return ""
        return format_decimal(int(value) if float(value).is_integer() else value, locale=self.locale)

    def join(self, items: list[str]) -> str:
        """`a, b et c`."""
        return format_list([item for item in items if item], locale=self.locale) if items else ""

    def country(self, code: str) -> str:
        return self.locale.territories.get(code, code)

    def language(self, code: str) -> str:
        """The name of a language in the reader's language (`français`)."""
        return self.locale.languages.get(code, code)
