// Rihla: the interlocutor directory's filters (pages/directory.md).
//
// Progressive: the table lists every organisation without JavaScript. This
// script shows the filter form (rendered hidden), hides the rows that do not
// match, says how many are shown, and keeps in each option how many
// organisations choosing it would leave. What it reads:
//   <form data-directory-filters data-locale="fr" data-count-text="… {shown} … {total}">
//     <input name="q">                       (narrows by name as you type)
//     <select name="level" data-facet="level">   <option value="regional" data-label="Régional">
//   <table data-directory> <tr data-level="regional" data-theme="a b" data-names="ASA · DAV · ABA">
//   <p data-directory-count>   <p data-directory-empty hidden>
// The state lives in the address (`?level=regional&q=asa`): a filtered view can
// be shared, and a reload keeps it.
(() => {
  "use strict";

  // Case, accents and Arabic spelling variants do not matter: letters lose their
  // marks (é → e; أ إ آ → ا), Arabic loses its short vowels and tatweel, ى → ي,
  // ة → ه. Arabic prefixes (بال كال لل ال, و ف ب ك ل) are peeled off by arabic.js: a name
  // offers every form of its words (والعدل, العدل, عدل), what is typed its stems.
  const MARKS = /[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640]/g;
  const arabic = window.rihlaArabic;

  function fold(text, typed = false) {
    return text
      .normalize("NFD")
      .replace(MARKS, "")
      .toLowerCase()
      .replace(/\u0671/g, "\u0627")
      .replace(/\u0649/g, "\u064a")
      .replace(/\u0629/g, "\u0647")
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean)
      .flatMap((word) => (!arabic.isArabic(word) ? [word] : typed ? [arabic.stem(word)] : arabic.forms(word)));
  }

  // A word typed matches the start of a name's word; from four letters on, any part of it.
  function matches(words, haystack) {
    return words.every((word) => haystack.includes(" " + word) || (word.length > 3 && haystack.includes(word)));
  }

  function setUp(form) {
    if (form.dataset.ready) return;
    form.dataset.ready = "yes";
    const table = document.querySelector("[data-directory]");
    if (!table) return;
    const box = form.elements.q;
    const selects = [...form.querySelectorAll("select[data-facet]")];
    const facets = selects.map((select) => select.dataset.facet);
    const status = document.querySelector("[data-directory-count]");
    const empty = document.querySelector("[data-directory-empty]");
    const countText = form.dataset.countText || "{shown} / {total}";
    let numbers;
    try {
      numbers = new Intl.NumberFormat(form.dataset.locale || document.documentElement.lang);
    } catch {
      numbers = new Intl.NumberFormat();
    }

    // Read each row once: its names folded, its values per facet.
    const rows = [...table.tBodies[0].rows].map((row) => ({
      row,
      names: " " + fold(row.dataset.names || row.textContent).join(" "),
      values: Object.fromEntries(facets.map((facet) => [facet, (row.dataset[facet] || "").split(" ").filter(Boolean)])),
    }));

    function chosen() {
      return Object.fromEntries(selects.map((select) => [select.dataset.facet, select.value]));
    }

    function apply() {
      const wanted = chosen();
      const words = fold(box.value, true);
      // A row passes a facet when no value is chosen there or it holds the chosen one.
      const passes = (item, facet) => !wanted[facet] || item.values[facet].includes(wanted[facet]);
      const counts = Object.fromEntries(facets.map((facet) => [facet, new Map()]));
      const alls = Object.fromEntries(facets.map((facet) => [facet, 0]));
      let shown = 0;
      for (const item of rows) {
        const named = matches(words, item.names);
        const failed = facets.filter((facet) => !passes(item, facet));
        const show = named && failed.length === 0;
        // Only rows that change are touched: each change costs the browser a new style.
        if (item.row.hidden === show) item.row.hidden = !show;
        if (show) shown += 1;
        // What each option would leave: the rows that pass the name and every other facet.
        if (!named || failed.length > 1) continue;
        for (const facet of facets) {
          if (failed.length === 1 && failed[0] !== facet) continue;
          alls[facet] += 1;
          for (const value of item.values[facet]) counts[facet].set(value, (counts[facet].get(value) || 0) + 1);
        }
      }
      for (const select of selects) {
        const facet = select.dataset.facet;
        for (const option of select.options) {
          const count = option.value ? counts[facet].get(option.value) || 0 : alls[facet];
          option.textContent = `${option.dataset.label} (${numbers.format(count)})`;
          option.disabled = count === 0 && !option.selected;
        }
      }
      status.textContent = countText.replace("{shown}", numbers.format(shown)).replace("{total}", numbers.format(rows.length));
      empty.hidden = shown > 0;
    }

    // The address holds the state: ?q=…&kind=…&level=…
    function remember() {
      const params = new URLSearchParams(location.search);
      for (const control of [box, ...selects]) {
        if (control.value.trim()) params.set(control.name, control.value.trim());
        else params.delete(control.name);
      }
      const query = params.toString();
      try {
        history.replaceState(history.state, "", (query ? "?" + query : location.pathname) + location.hash);
      } catch {
        // Some browsers refuse to change the address of a page opened from a file.
      }
    }

    function restore() {
      const params = new URLSearchParams(location.search);
      box.value = params.get(box.name) || "";
      for (const select of selects) {
        const value = params.get(select.name) || "";
        // Only a value the list offers; anything else means "all".
        select.value = [...select.options].some((option) => option.value === value) ? value : "";
      }
    }

    form.addEventListener("input", () => {
      apply();
      remember();
    });
    form.addEventListener("submit", (event) => event.preventDefault());
    form.addEventListener("reset", () => {
      // The browser resets the controls after this event.
      setTimeout(() => {
        apply();
        remember();
      });
    });
    window.addEventListener("popstate", () => {
      restore();
      apply();
    });

    restore();
    apply();
    form.hidden = false;
    status.hidden = false;
  }

  function start() {
    document.querySelectorAll("[data-directory-filters]").forEach(setUp);
  }

  // Material's instant navigation swaps pages without reloading: follow its page stream when there is one.
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(start);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
