/* Rihla: the site kept on a phone. Registers the service worker (sw.js at the site's
   root, written at each build by rihla/publish/offline_app.py), which keeps every page
   the reader opens; on a mission brief, the "Keep for offline" button has it keep the
   whole brief at once: its visits and their organisations, the PDF and calendar file,
   the styles, scripts and fonts. Pages opened from files (make offline) have no
   service worker, and no button. */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.caches || !/^https?:$/.test(location.protocol)) return;
  var script = document.currentScript;
  if (!script) return;
  var root = new URL("../../", script.src); // this file is assets/rihla/offline.js
  var registered = navigator.serviceWorker.register(new URL("sw.js", root).href, { scope: root.pathname });
  registered.catch(function () { /* private browsing, or storage refused: the site works as before */ });

  var button = document.querySelector("[data-rihla-keep]");
  if (!button) return;
  var status = button.parentNode.querySelector(".rihla-keep__status");
  var page = location.href.split("#")[0];
  var remembered = "rihla-kept " + new URL(page).pathname;
  button.closest(".rihla-keep").hidden = false;

  function addresses() {
    var found = new Set([page]);
    function add(href, base) {
      try {
        var url = new URL(href, base || location.href);
        if (url.origin === location.origin && /^https?:$/.test(url.protocol)) found.add(url.href.split("#")[0]);
      } catch (error) { /* not an address */ }
    }
    document.querySelectorAll(
      "table.rihla-programme a[href], .rihla-map__legend a[href], .rihla-preparation a[href], " +
      ".rihla-interlocutors a[href], .rihla-brief-files a[href]:not([hreflang]), " +
      'link[rel="stylesheet"][href], link[rel="manifest"][href], link[rel="icon"][href], script[src]'
    ).forEach(function (element) { add(element.getAttribute("href") || element.getAttribute("src")); });
    // Fonts, the sitemap Material fetches, and whatever else this page loaded.
    performance.getEntriesByType("resource").forEach(function (entry) { add(entry.name); });
    // Every font the styles declare, also those this page did not need (a visit's bold Arabic).
    Array.prototype.forEach.call(document.styleSheets, function (sheet) {
      var rules;
      try { rules = sheet.cssRules; } catch (error) { return; }
      Array.prototype.forEach.call(rules || [], function (rule) {
        if (rule.type !== CSSRule.FONT_FACE_RULE) return;
        var source = rule.style.getPropertyValue("src");
        var pattern = /url\(\s*["']?([^"')]+)["']?\s*\)/g, match;
        while ((match = pattern.exec(source))) add(match[1], sheet.href || location.href);
      });
    });
    return Array.from(found);
  }

  function keep(urls) {
    return navigator.serviceWorker.ready.then(function (registration) {
      return new Promise(function (resolve, reject) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (event) {
          if (event.data && event.data.ok) resolve(event.data); else reject(event.data);
        };
        registration.active.postMessage({ type: "rihla-keep", urls: urls }, [channel.port2]);
      });
    });
  }

  function run(quiet) {
    if (!quiet) {
      button.disabled = true;
      status.textContent = button.getAttribute("data-rihla-working");
    }
    return keep(addresses()).then(function () {
      try { localStorage.setItem(remembered, "1"); } catch (error) { /* storage refused */ }
      button.setAttribute("data-rihla-kept", "");
      status.textContent = button.getAttribute("data-rihla-done");
    }, function () {
      if (!quiet) status.textContent = button.getAttribute("data-rihla-failed");
    }).then(function () { button.disabled = false; });
  }

  button.addEventListener("click", function () { run(false); });
  // Kept before: keep it again from this build (new visits, a changed PDF), without a word.
  var keptBefore = false;
  try { keptBefore = localStorage.getItem(remembered) === "1"; } catch (error) { /* storage refused */ }
  if (keptBefore && navigator.onLine) {
    status.textContent = button.getAttribute("data-rihla-done");
    window.addEventListener("load", function () { run(true); });
  } else if (keptBefore) {
    status.textContent = button.getAttribute("data-rihla-done");
  }
})();
