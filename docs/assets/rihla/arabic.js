// Rihla: Arabic words as a search matches them (the directory filter, the header search).
// The same algorithm as rihla/arabic.py (tests/test_arabic_search.py compares them):
// spelling variants folded (أ إ آ ٱ → ا, ة → ه, ى → ي, no short vowels or tatweel), and
// prefixes peeled off in turn (و ف, then بال كال لل ال), so that العدل finds والعدل and
// الأمن finds للأمن. A text offers every *form* of its words; a query its *stems*.
window.rihlaArabic = (() => {
  "use strict";

  const MARKS = /[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640]/g;
  const LETTERS = { "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي" };
  const ARABIC = /[\u0600-\u06ff]/;
  const CONJUNCTIONS = ["و", "ف"];
  const WITH_ARTICLE = ["بال", "كال", "لل", "ال"];

  function fold(text) {
    return text.normalize("NFC").replace(MARKS, "").replace(/[أإآٱةى]/g, (letter) => LETTERS[letter]);
  }

  function peel(word) {
    const letters = [...word];
    if (CONJUNCTIONS.includes(letters[0]) && letters.length - 1 >= 3) return letters.slice(1).join("");
    for (const prefix of WITH_ARTICLE) {
      if (word.startsWith(prefix) && letters.length - prefix.length >= 2) return word.slice(prefix.length);
    }
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
