"""Arabic words as a search matches them: spelling variants folded, prefixes peeled off.

Arabic glues the conjunctions و ف, the prepositions ب ك ل and the article ال to
the word (والعدل "and justice", للأمن "for security", لتقنين "for regulating"), and writes
the same word
with or without hamza on the alef (أ إ آ ا), ta marbuta as ة or ه, final ى or ي,
tatweel and short vowels. A reader types any of these forms.

Both sides of a search use this module: the text is indexed with every *form*
of each word (the word, then each prefix peeled off in turn), and a query word is
reduced to its *stem* (every prefix peeled off); the stem of a word is always
among the forms of the same word written with more prefixes, and a word being
typed is matched as the start of a form. `docs/assets/rihla/arabic.js` is the
same algorithm for the browser (the directory filter and the header search);
tests/test_arabic_search.py checks that both give the same answers.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640]")
"""Short vowels and other marks, Quranic annotation signs, tatweel."""
_LETTERS = (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"), ("ة", "ه"), ("ى", "ي"))
"""Letters written for one another, each made the same one: replaced one after the other, since none
is made into a letter that is replaced (six scans of a page are many times faster than `str.translate`)."""
_ARABIC = re.compile("[\u0600-\u06ff]")
_WORD = re.compile(r"[^\W_]+")

_WITH_ARTICLE = ("بال", "كال", "لل", "ال")
"""Preposition + article (لل is ل + ال), or the article alone: peeled off when two letters are left."""
_ONE_LETTER = ("و", "ف", "ب", "ك", "ل")
"""Conjunctions and prepositions: peeled off when three letters are left that do not start with
an alef, unless that alef is an article's (كالة in وكالة keeps its ك: اله is no word)."""


def fold(text: str) -> str:
    """Spelling variants made one: no marks or tatweel, one alef, ه for ة, ي for ى."""
    folded = _MARKS.sub("", unicodedata.normalize("NFC", text))
    for variant, letter in _LETTERS:
        folded = folded.replace(variant, letter)
    return folded


def _peel(word: str) -> str | None:
    """The word without its first prefix, or None when it has none to lose."""
    for prefix in _WITH_ARTICLE:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            return word[len(prefix) :]
    rest = word[1:]
    if word[:1] in _ONE_LETTER and len(rest) >= 3 and (not rest.startswith("ا") or _is_articled(rest)):
        return rest
    return None


def _is_articled(word: str) -> bool:
    return word.startswith("ال") and len(word) - 2 >= 2


def forms(word: str) -> list[str]:
    """A folded word and what is left after each prefix: `والعدل` → `والعدل العدل عدل`."""
    found = [word]
    while (peeled := _peel(found[-1])) is not None:
        found.append(peeled)
    return found


def stem(word: str) -> str:
    """A folded word without any of its prefixes: `للامن` → `امن`."""
    return forms(word)[-1]


def words(text: str) -> list[str]:
    """The folded Arabic words of a text (other scripts are left to the search engine)."""
    return [word for word in _WORD.findall(fold(text)) if _is_arabic(word)]


def _is_arabic(word: str) -> bool:
    return _ARABIC.search(word) is not None


def index_forms(text: str) -> str:
    """Every form of every Arabic word of `text` not already written as such, for an index."""
    present = set(_WORD.findall(text))
    # Each distinct word once (told Arabic once, not each time it is written), its forms remembered
    # across pages: a programme's pages share most of their words, and the order (first
    # occurrence) is what it would be word by word.
    distinct = [word for word in dict.fromkeys(_WORD.findall(fold(text))) if _is_arabic(word)]
    extra = dict.fromkeys(form for word in distinct for form in _remembered_forms(word) if form not in present)
    return " ".join(extra)


@functools.lru_cache(maxsize=1 << 16)
def _remembered_forms(word: str) -> tuple[str, ...]:
    return tuple(forms(word))
