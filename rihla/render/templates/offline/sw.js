/* Rihla's service worker, written at each build by rihla/publish/offline_app.py.

   - Every page and file of the site the reader opens is fetched from the network
     first and kept; offline (or after {{ patience_ms }} ms without an answer) the
     kept copy is shown.
   - "Keep for offline" on a mission brief (assets/rihla/offline.js) sends the brief's
     addresses: they are fetched and kept at once, and remembered.
   - Each build has its own cache ({{ cache_prefix }}<version>). When a new build is
     published, this file changes, the browser installs it, and it fetches again
     what the reader kept, from the new build, before deleting the older caches: no
     stale brief after an update, nothing lost when a fetch fails. */
"use strict";

const VERSION = {{ version | tojson }};
const CACHE = {{ cache_prefix | tojson }} + VERSION;
const KEPT = {{ kept_cache | tojson }};
const KEPT_LIST = new URL("rihla-kept.json", self.registration.scope).href;
const PATIENCE_MS = {{ patience_ms }};

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const older = (await caches.keys()).filter((name) => name.startsWith({{ cache_prefix | tojson }}) && name !== CACHE);
    const cache = await caches.open(CACHE);
    for (const url of await keptAddresses()) {
      if (await fetchInto(cache, url)) continue;
      for (const name of older) {
        const copy = await (await caches.open(name)).match(url);
        if (copy) { await cache.put(url, copy); break; }
      }
    }
    await Promise.all(older.map((name) => caches.delete(name)));
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || request.headers.has("range")) return;
  if (url.href === KEPT_LIST) return;
  event.respondWith(networkFirst(event));
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  const port = event.ports && event.ports[0];
  if (data.type !== "rihla-keep" || !port) return;
  event.waitUntil(keep(data.urls || []).then(
    (failed) => port.postMessage({ ok: failed.length === 0, failed }),
    (error) => port.postMessage({ ok: false, failed: [String(error)] }),
  ));
});

async function networkFirst(event) {
  const request = event.request;
  const cache = await caches.open(CACHE);
  const kept = () => cache.match(request, { ignoreSearch: request.mode === "navigate" });
  // Known to be offline: the kept copy straight away, no request bound to fail.
  if (!self.navigator.onLine) {
    const copy = await kept();
    if (copy) return copy;
  }
  const network = fetch(request).then((response) => {
    if (response.ok && response.type === "basic") event.waitUntil(cache.put(request, response.clone()));
    return response;
  });
  network.catch(() => {}); // answered from the kept copy below
  // A slow network: after a while, the kept copy if there is one; otherwise wait on.
  const patience = new Promise((resolve) => setTimeout(resolve, PATIENCE_MS)).then(kept);
  try {
    const first = await Promise.race([network, patience]);
    return first || await network;
  } catch (error) {
    const copy = await kept();
    if (copy) return copy;
    throw error;
  }
}

async function keep(urls) {
  const own = urls.filter((url) => new URL(url).origin === self.location.origin);
  const cache = await caches.open(CACHE);
  const fetched = await Promise.all(own.map((url) => fetchInto(cache, url)));
  const remembered = new Set(await keptAddresses());
  own.forEach((url) => remembered.add(url));
  await (await caches.open(KEPT)).put(KEPT_LIST, new Response(JSON.stringify(Array.from(remembered)), {
    headers: { "Content-Type": "application/json" },
  }));
  return own.filter((url, index) => !fetched[index]);
}

async function keptAddresses() {
  const list = await (await caches.open(KEPT)).match(KEPT_LIST);
  return list ? list.json() : [];
}

async function fetchInto(cache, url) {
  try {
    const response = await fetch(url, { cache: "no-cache" });
    if (!response.ok) return false;
    await cache.put(url, response);
    return true;
  } catch (error) {
    return false;
  }
}
