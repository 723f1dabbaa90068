// Rihla: filters for the lessons and follow-up pages.
//
// Progressive: the pages list every item without JavaScript; this script shows
// the filter form (rendered hidden by the templates) and hides the items that do
// not match. The markup it reads:
//   <form data-rihla-filters data-filter-target="#list" data-count-text="… {shown} … {total}">
//     <select name="status" data-filter="status">…           (name: key in the address)
//     <input type="checkbox" name="overdue" value="yes" data-filter="overdue">
//     <p data-filter-status aria-live="polite">  <p data-filter-empty hidden>
//   <article data-filter-item data-status="done" data-themes="a b">   (lists: space-separated)
//   <p data-filter-item data-filter-ref …>   (a cross-reference: not counted, hidden once filtered)
//   <section data-filter-group>   (hidden when none of its items is shown)
// The state lives in the address (`?status=done&theme=twinning`), so a filtered
// view can be bookmarked and shared; the fragment (#actions) is kept.
(function () {
  "use strict";

  function controlValue(control) {
    if (control.type === "checkbox") return control.checked ? control.value : "";
    return control.value;
  }

  function setControlValue(control, value) {
    if (control.type === "checkbox") {
      control.checked = value === control.value;
      return;
    }
    // Only accept a value the list offers; anything else means "all".
    var known = Array.prototype.some.call(control.options, function (option) {
      return option.value === value;
    });
    control.value = known ? value : "";
  }

  function itemMatches(item, filters) {
    return filters.every(function (filter) {
      var held = (item.getAttribute("data-" + filter.attribute) || "").split(/\s+/);
      return held.indexOf(filter.value) !== -1;
    });
  }

  function setUp(form) {
    if (form.getAttribute("data-filters-ready") === "yes") return;
    form.setAttribute("data-filters-ready", "yes");
    var scope = document.querySelector(form.getAttribute("data-filter-target")) || document;
    var items = Array.prototype.slice.call(scope.querySelectorAll("[data-filter-item]"));
    var groups = Array.prototype.slice.call(scope.querySelectorAll("[data-filter-group]"));
    var controls = Array.prototype.slice.call(form.querySelectorAll("[data-filter]"));
    var status = form.querySelector("[data-filter-status]");
    var empty = form.querySelector("[data-filter-empty]");
    var countText = form.getAttribute("data-count-text") || "{shown} / {total}";
    var numbers;
    try {
      numbers = new Intl.NumberFormat(form.getAttribute("data-locale") || document.documentElement.lang);
    } catch (error) {
      numbers = new Intl.NumberFormat();
    }

    function active() {
      return controls
        .map(function (control) {
          return { name: control.name, attribute: control.getAttribute("data-filter"), value: controlValue(control) };
        })
        .filter(function (filter) {
          return filter.value !== "";
        });
    }

    function apply() {
      var filters = active();
      var shown = 0;
      var total = 0;
      items.forEach(function (item) {
        var match = itemMatches(item, filters);
        var reference = item.hasAttribute("data-filter-ref");
        // Once filtered, every matching item is shown in full: cross-references would only repeat them.
        item.hidden = !match || (reference && filters.length > 0);
        if (!reference) {
          total += 1;
          if (match) shown += 1;
        }
      });
      groups.forEach(function (group) {
        group.hidden = !group.querySelector("[data-filter-item]:not([hidden])");
      });
      if (empty) empty.hidden = shown > 0;
      if (status) {
        status.textContent = countText
          .replace("{shown}", numbers.format(shown))
          .replace("{total}", numbers.format(total));
      }
      return filters;
    }

    function remember(filters) {
      var params = new URLSearchParams(window.location.search);
      controls.forEach(function (control) {
        params.delete(control.name);
      });
      filters.forEach(function (filter) {
        params.set(filter.name, filter.value);
      });
      var query = params.toString();
      var address = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
      window.history.replaceState(window.history.state, "", address);
    }

    var params = new URLSearchParams(window.location.search);
    controls.forEach(function (control) {
      setControlValue(control, params.get(control.name) || "");
      control.addEventListener("change", function () {
        remember(apply());
      });
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    form.addEventListener("reset", function () {
      // The form resets its controls after this event; filter once it has.
      window.setTimeout(function () {
        remember(apply());
      }, 0);
    });
    form.hidden = false;
    apply();
  }

  function setUpAll() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-rihla-filters]"), setUp);
  }

  // Material's instant navigation swaps pages without a load event; `document$` says when.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setUpAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
