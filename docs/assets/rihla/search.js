// Rihla: the site search in Material's header (overrides/partials/search.html).
// Pagefind does the searching: each language has its own bundle under its root
// (`pagefind/`, `ar/pagefind/`, ...; the partial gives the root in data-root),
// in one or more parts,
// loaded on first use, so a search never leaves the reader's language.
// Results use Material's search markup and look, and say what kind of page
// each is (mission, visit, organisation, lesson...).
(() => {
  "use strict";

  const box = document.querySelector("[data-rihla-search]");
  if (!box) return;

  const toggle = document.getElementById("__search");
  const form = box.querySelector("form");
  const input = form.querySelector("input");
  const status = box.querySelector(".md-search-result__meta");
  const list = box.querySelector(".md-search-result__list");
  const kinds = box.querySelector(".rihla-search-kinds");
  const more = box.querySelector(".rihla-search-more");
  const texts = box.dataset;
  const PAGE_SIZE = 10;
  const KINDS = ["organisation", "person", "visit", "mission", "lesson", "action", "theme", "page"];

  // The root of the page's language (relative in the page), where its Pagefind bundle is.
  const root = new URL(box.dataset.root, location.href);

  let engine = null;       // the Pagefind module, once loaded
  let search = null;       // the latest search: its query, results and how many are shown
  let kind = "";           // kind of page the results are narrowed to ("" for all)
  let serial = 0;          // discards answers to queries typed over since
  let timer = 0;

  function load() {
    if (!engine) {
      // A large site's index comes in parts (rihla/export/search.py), listed beside it and
      // searched as one: Pagefind ranks their results together and adds up their counts.
      const parts = fetch(new URL("pagefind/rihla-parts.json", root)).then((answer) => {
        if (!answer.ok) throw new Error(`search index parts: ${answer.status}`);
        return answer.json();
      });
      engine = import(new URL("pagefind/pagefind.js", root).href).then(async (pagefind) => {
        const options = () => ({ baseUrl: root.pathname, excerptLength: 24 });
        await pagefind.options(options());
        await pagefind.init();
        for (const part of await parts) {
          await pagefind.mergeIndex(new URL(`pagefind/${part}`, root).pathname, options());
        }
        // Loading the filters once makes every search count its results by kind of page.
        await pagefind.filters();
        return pagefind;
      });
      engine.catch(() => say(texts.unavailable));
    }
    return engine;
  }

  // Arabic glues و ف ب ك ل and the article ال to its words and spells a word several
  // ways (أ إ آ ا, ة ه, ى ي, short vowels). Arabic pages are indexed with every form of
  // their words (rihla/arabic.py); an Arabic query is also searched as its stems
  // (arabic.js, the same rules), and the richest answer kept.
  const ARABIC = /[\u0600-\u06ff]/;

  function variants(query) {
    if (!ARABIC.test(query) || !window.rihlaArabic) return [query];
    return [...new Set([query, window.rihlaArabic.queryStems(query)])];
  }

  function say(message) {
    status.textContent = message;
  }

  function number(value) {
    return value.toLocaleString(document.documentElement.lang);
  }

  function count(total) {
    if (total === 0) return texts.resultNone;
    if (total === 1) return texts.resultOne;
    return texts.resultOther.replace("#", number(total));
  }

  function clear() {
    list.replaceChildren();
    delete list.dataset.query;
    kinds.hidden = true;
    more.hidden = true;
  }

  async function run() {
    const query = input.value.trim();
    const mine = ++serial;
    if (!query) {
      search = null;
      clear();
      say(texts.resultPlaceholder);
      return;
    }
    let pagefind;
    try {
      pagefind = await load();
    } catch {
      return;
    }
    const options = kind ? { filters: { kind } } : {};
    const answers = await Promise.all(variants(query).map((variant) => pagefind.search(variant, options)));
    if (mine !== serial) return;
    // The richest answer, judged before the kind filter so that its buttons keep their counts.
    const found = answers.filter(Boolean).reduce(
      (best, answer) => (!best || answer.unfilteredResultCount > best.unfilteredResultCount ? answer : best),
      null,
    );
    if (!found) return;
    search = { query, found, shown: 0 };
    clear();
    // Which query the list answers (type-ahead answers each pause in typing).
    list.dataset.query = query;
    showKinds(found);
    say(count(found.results.length));
    await showMore(mine);
  }

  // Buttons that narrow the results to one kind of page, each with its count.
  function showKinds(found) {
    const counts = (found.totalFilters || found.filters || {}).kind || {};
    const present = KINDS.filter((k) => counts[k] || k === kind);
    if (present.length < 2 && !kind) return;
    const buttons = [["", found.unfilteredResultCount], ...present.map((k) => [k, counts[k] || 0])];
    kinds.replaceChildren(...buttons.map(([value, n]) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "rihla-search-kind";
      button.dataset.kind = value;
      button.setAttribute("aria-pressed", String(value === kind));
      button.textContent = `${value ? texts["kind" + value[0].toUpperCase() + value.slice(1)] : texts.kindAll} (${number(n)})`;
      return button;
    }));
    kinds.hidden = false;
  }

  async function showMore(mine) {
    const { found } = search;
    const page = found.results.slice(search.shown, search.shown + PAGE_SIZE);
    const data = await Promise.all(page.map((result) => result.data()));
    if (mine !== serial) return;
    list.append(...data.map(item));
    search.shown += page.length;
    more.hidden = search.shown >= found.results.length;
  }

  function item(data) {
    const li = document.createElement("li");
    li.className = "md-search-result__item";
    const link = document.createElement("a");
    link.className = "md-search-result__link";
    // Lessons and actions are cards on a section page: their record names the card.
    link.href = data.meta.url ? new URL(data.meta.url, root).href : data.url;
    const article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    const title = document.createElement("h1");
    title.textContent = data.meta.title || "";
    const tag = document.createElement("span");
    const kindName = data.meta.kind || "page";
    tag.className = `rihla-search-tag rihla-search-tag--${kindName}`;
    tag.textContent = texts["kind" + kindName[0].toUpperCase() + kindName.slice(1)] || texts.kindPage;
    const excerpt = document.createElement("p");
    excerpt.append(...highlighted(data.excerpt));
    const icon = document.createElement("div");
    icon.className = "md-search-result__icon md-icon";
    article.append(icon, tag, title, excerpt);
    link.append(article);
    li.append(link);
    return li;
  }

  // Pagefind's excerpt is text with <mark> around the words found; built as
  // nodes rather than parsed as HTML, so nothing else in it can become markup.
  function highlighted(excerpt) {
    const decode = document.createElement("textarea");
    return excerpt.split(/(<mark>.*?<\/mark>)/).filter(Boolean).map((part) => {
      const marked = part.startsWith("<mark>");
      decode.innerHTML = marked ? part.slice(6, -7) : part;
      if (!marked) return document.createTextNode(decode.value);
      const mark = document.createElement("mark");
      mark.textContent = decode.value;
      return mark;
    });
  }

  function open(state) {
    if (toggle && toggle.checked !== state) toggle.checked = state;
  }

  // Type-ahead: every change of the text searches again, shortly after typing stops.
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(run, 60);
  });
  input.addEventListener("focus", () => {
    open(true);
    load();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const first = list.querySelector("a");
    if (first) location.href = first.href;
  });
  form.addEventListener("reset", () => {
    kind = "";
    setTimeout(run);
    input.focus();
  });
  kinds.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    kind = button.dataset.kind;
    run();
  });
  more.addEventListener("click", () => {
    if (search) showMore(serial);
  });

  // Keyboard: "/" or "s" opens the search; arrows walk the results; Escape closes.
  document.addEventListener("keydown", (event) => {
    const typing = event.target.closest && event.target.closest("input, textarea, select, [contenteditable]");
    if (!typing && !event.ctrlKey && !event.metaKey && !event.altKey && (event.key === "/" || event.key === "s")) {
      event.preventDefault();
      open(true);
      input.focus();
      return;
    }
    if (!box.contains(event.target)) return;
    if (event.key === "Escape") {
      open(false);
      input.blur();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      const links = [input, ...list.querySelectorAll("a")];
      const at = links.indexOf(document.activeElement);
      const next = links[Math.max(0, Math.min(links.length - 1, at + (event.key === "ArrowDown" ? 1 : -1)))];
      if (next) {
        event.preventDefault();
        next.focus();
      }
    }
  });
  if (toggle) {
    // On phones the magnifier opens a full-screen search: put the cursor in it.
    toggle.addEventListener("change", () => {
      if (toggle.checked) input.focus();
      else input.blur();
    });
  }
})();
