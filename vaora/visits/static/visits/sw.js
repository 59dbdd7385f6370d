// vaora service worker: keeps the check-in shell on the phone, so a poster scanned with no
// network still opens a page that can queue the check-in; and keeps the last gate scanner page
// a staff member opened, so a gate phone restarted without network still scans and queues.
var CACHE = "vaora-shell-v2";
var GATE = /^\/venues\/\d+\/gate\/$/;
var SHELL = ["/offline/checkin/", "/static/core/vaora.css", "/static/visits/queue.js",
             "/static/visits/checkin.js", "/manifest.webmanifest"];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(SHELL); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.indexOf("/static/") === 0) {
    // Stale-while-revalidate: the cached copy answers at once (and offline); a fresh one is
    // fetched behind it, so a new release reaches the phone on its next visit.
    event.respondWith(caches.open(CACHE).then(function (cache) {
      return cache.match(request).then(function (hit) {
        var fresh = fetch(request).then(function (response) {
          if (response.ok) cache.put(request, response.clone());
          return response;
        });
        if (hit) { fresh.catch(function () {}); return hit; }
        return fresh;
      });
    }));
    return;
  }
  if (request.mode === "navigate" && GATE.test(url.pathname)) {
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(url.pathname, copy); });
      }
      return response;
    }, function () {
      return caches.match(url.pathname).then(function (hit) { return hit || caches.match("/offline/checkin/"); });
    }));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(function () {
      if (/^\/[vV]\//.test(url.pathname)) return caches.match("/offline/checkin/");
      return caches.match(request).then(function (hit) { return hit || caches.match("/offline/checkin/"); });
    }));
  }
});
