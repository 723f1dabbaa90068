// Rihla: Arabic words as a search matches them (the directory filter, the header search).
// The same algorithm as rihla/arabic.py (tests/test_arabic_search.py compares them):
// spelling variants folded (أ إ آ ٱ → ا, ة → ه, ى → ي, no short vowels or tatweel), and
// prefixes peeled off in turn (بال كال لل ال, then و ف ب ك ل), so that العدل finds والعدل and
// الأمن finds للأمن. A text offers every *form* of its words; a query its *stems*.
window.rihlaArabic = (() => {
  "use strict";

  const MARKS = /[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640]/g;
  const LETTERS = { "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي" };
  const ARABIC = /[\u0600-\u06ff]/;
  const WITH_ARTICLE = ["بال", "كال", "لل", "ال"];
  const ONE_LETTER = ["و", "ف", "ب", "ك", "ل"];

  function fold(text) {
    return text.normalize("NFC").replace(MARKS, "").replace(/[أإآٱةى]/g, (letter) => LETTERS[letter]);
  }

  function isArticled(word) {
    return word.startsWith("ال") && word.length - 2 >= 2;
  }

  // Arabic letters are one UTF-16 unit each: lengths count letters.
  function peel(word) {
    for (const prefix of WITH_ARTICLE) {
      if (word.startsWith(prefix) && word.length - prefix.length >= 2) return word.slice(prefix.length);
    }
    const rest = word.slice(1);
    if (ONE_LETTER.includes(word[0]) && rest.length >= 3 && (!rest.startsWith("ا") || isArticled(rest))) return rest;
    return null;
  }

  function forms(word) {
    const found = [word];
    for (let peeled = peel(word); peeled !== null; peeled = peel(peeled)) found.push(peeled);
    return found;
  }

  function stem(word) {
    const all = forms(word);
    return all[all.length - 1];
  }

  function isArabic(word) {
    return ARABIC.test(word);
  }

  function queryStems(query) {
    return query.split(/\s+/).filter(Boolean).map((word) => (isArabic(word) ? stem(fold(word)) : word)).join(" ");
  }

  return { fold, forms, stem, isArabic, queryStems };
})();
