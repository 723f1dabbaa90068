"""Which time zones each country uses, from the IANA database that ships in `tzdata`.

A mission's times are read in its `timezone`. A zone from another country (the
`Europe/Brussels` a skeleton pre-fills, kept for a mission to Estonia) shifts every
meeting of the brief and the calendar by an hour or more, and nothing else would
notice: the mission's zone must be one used in one of its countries.

Countries come from `zone.tab` (one country per zone, the historical list) and
`zone1970.tab` (zones shared by several countries since 1970, such as
`Europe/Brussels` for BE, LU and NL): a zone in either counts.
"""

from __future__ import annotations

import difflib
import functools
import importlib.resources
import logging
from collections import defaultdict
from collections.abc import Iterable

log = logging.getLogger(__name__)

ZONE_TABLES = ("zone.tab", "zone1970.tab")
MAX_LISTED = 6
"""A country with more zones (the United States has about thirty) gets the closest ones only."""


@functools.cache
def country_zones() -> dict[str, frozenset[str]]:
    """Zones used in each country, by ISO 3166 code."""
    zones: dict[str, set[str]] = defaultdict(set)
    folder = importlib.resources.files("tzdata.zoneinfo")
    for table in ZONE_TABLES:
        for line in folder.joinpath(table).read_text(encoding="utf-8").splitlines():
            if not line or line.startswith("#"):
                continue
            codes, _, name = line.split("\t")[:3]
            for code in codes.split(","):
                zones[code].add(name)
    log.debug("time zones of %d countries read from tzdata", len(zones))
    return {code: frozenset(names) for code, names in zones.items()}


def zone_mismatch(zone: str, countries: Iterable[str]) -> str | None:
    """Why `zone` does not fit a mission to `countries`, with what to write instead; None if it fits.

    Countries unknown to the database (and a mission without countries) are not judged.
    """
    table = country_zones()
    known = [code for code in countries if code in table]
    if not known:
        return None
    used = sorted(set().union(*(table[code] for code in known)))
    if zone in used:
        return None
    where = " or ".join(known)
    if len(used) == 1:
        return f"{zone} is not used in {where}; did you mean {used[0]}?"
    close = difflib.get_close_matches(zone, used, n=MAX_LISTED, cutoff=0)
    listed = used if len(used) <= MAX_LISTED else close
    more = "" if len(listed) == len(used) else f" (and {len(used) - len(listed)} more)"
    return f"{zone} is not used in {where}; use one of: {', '.join(listed)}{more}"
