// vaora service worker: keeps the check-in shell on the phone, so a poster scanned with no
// network still opens a page that can queue the check-in.
var CACHE = "vaora-shell-v1";
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
    event.respondWith(caches.match(request).then(function (hit) { return hit || fetch(request); }));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(function () {
      if (/^\/[vV]\//.test(url.pathname)) return caches.match("/offline/checkin/");
      return caches.match(request).then(function (hit) { return hit || caches.match("/offline/checkin/"); });
    }));
  }
});
