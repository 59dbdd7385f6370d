// vaora offline queue: every check-in and check-out is written to IndexedDB first (with a
// device-made UUID and the scan time), then sent to the server; it leaves the queue only when
// the server has answered for it. A dead or congested network loses nothing, and a retry never
// duplicates (the server treats a repeated UUID as the same visit). One queue per purpose:
// the citizen's own check-ins (window.vaoraQueue) and each gate scanner (vaoraMakeQueue).
(function () {
  "use strict";
  var STORE = "queue";

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40; bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  // options: db (IndexedDB name), url (sync endpoint), payload(items) → request body,
  // results(answer) → [{client_id, status, …}], limit (items per request).
  function makeQueue(options) {
    function openDb() {
      return new Promise(function (resolve, reject) {
        var request = indexedDB.open(options.db, 1);
        request.onupgradeneeded = function () {
          request.result.createObjectStore(STORE, { keyPath: "client_id" });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }

    function withStore(mode, work) {
      return openDb().then(function (db) {
        return new Promise(function (resolve, reject) {
          var transaction = db.transaction(STORE, mode);
          var request = work(transaction.objectStore(STORE));
          transaction.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
          transaction.onerror = function () { db.close(); reject(transaction.error); };
        });
      });
    }

    function add(item) { return withStore("readwrite", function (s) { return s.put(item); }); }
    function pending() { return withStore("readonly", function (s) { return s.getAll(); }); }
    function forget(ids) {
      return withStore("readwrite", function (s) { ids.forEach(function (id) { s.delete(id); }); });
    }

    // A busy server (503 or 429) says with Retry-After when to come back: until then nothing
    // is sent, whatever asks (the online event, a timer, a new scan), and a timer sends then.
    // A little jitter keeps a thousand phones from coming back in the same second.
    var flushing = null, limit = options.limit || 500, notBefore = 0, wake = null;
    function backOff(response) {
      var seconds = parseInt(response.headers.get("Retry-After"), 10);
      if (!(seconds > 0)) seconds = 5;
      notBefore = Date.now() + seconds * 1000 * (1 + Math.random() * 0.2);
      scheduleWake();
    }
    function scheduleWake() {
      if (wake) clearTimeout(wake);
      wake = setTimeout(function () { wake = null; flush().catch(function () {}); },
                        Math.max(0, notBefore - Date.now()) + 50);
    }
    function waitLeft() { return Math.max(0, Math.ceil((notBefore - Date.now()) / 1000)); }
    function flush() {
      if (flushing) return flushing;
      if (waitLeft() > 0) {
        var busy = new Error("server busy"); busy.retryAfter = waitLeft();
        return Promise.reject(busy);
      }
      flushing = pending().then(function (items) {
        if (!items || !items.length) return { sent: 0, results: [] };
        var more = items.length > limit;
        items = items.slice(0, limit);
        // payload may be a promise: a gate's identity-card items are decrypted only now.
        return Promise.resolve(options.payload(items)).then(function (body) {
          return fetch(options.url, {
            method: "POST", credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
            body: JSON.stringify(body)
          });
        }).then(function (response) {
          if (!response.ok) {
            var failed = new Error("HTTP " + response.status);
            if (response.status === 503 || response.status === 429) {
              backOff(response);
              failed.retryAfter = waitLeft();
            }
            throw failed;
          }
          return response.json();
        }).then(function (answer) {
          var results = options.results(answer);
          var answered = results.map(function (r) { return r.client_id; });
          return forget(answered).then(function () {
            return { sent: answered.length, results: results, more: more && answered.length > 0 };
          });
        });
      }).finally(function () { flushing = null; });
      return flushing.then(function (done) {
        if (!done.more) return done;
        return flush().then(function (rest) {  // a long offline spell: the next batch
          return { sent: done.sent + rest.sent, results: done.results.concat(rest.results) };
        });
      });
    }

    return { add: add, pending: pending, flush: flush, uuid: uuid, waitLeft: waitLeft };
  }

  window.vaoraMakeQueue = makeQueue;
  window.vaoraQueue = makeQueue({
    db: "vaora", url: "/api/v1/visits/sync",
    payload: function (items) {
      return { items: items.map(function (i) {
        var copy = {}; for (var k in i) if (k !== "label") copy[k] = i[k]; return copy;
      }) };
    },
    results: function (answer) { return answer.results; }
  });
  window.addEventListener("online", function () { window.vaoraQueue.flush().catch(function () {}); });
  document.addEventListener("DOMContentLoaded", function () { window.vaoraQueue.flush().catch(function () {}); });
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js").catch(function () {});
  }
})();
