// Identity cards at the gate, on the device: recognise the QR of a citizen identity card, read
// only the number, name and birth year from it (the address, old ID, birth date, sex and issue
// date are never kept), and keep that minimum encrypted while it waits in the offline queue —
// AES-GCM with a key that cannot leave this browser (WebCrypto, stored in IndexedDB). The
// server reads the card again, strictly, when the scan is sent (people/idcard.py).
(function () {
  "use strict";
  var KEY_DB = "vaora-gate-key";

  function looksLikeCard(text) { return /^\s*\d{9,12}\s*\|/.test(text || ""); }

  function read(text) {
    var fields = (text || "").trim().split("|").map(function (f) { return f.replace(/\s+/g, " ").trim(); });
    while (fields.length > 7 && fields[fields.length - 1] === "") fields.pop();
    if (fields.length === 6) fields.splice(1, 0, "");
    if (fields.length !== 7 || !/^\d{12}$/.test(fields[0]) || !/^\d{8}$/.test(fields[3])) return null;
    var name = fields[2].normalize ? fields[2].normalize("NFC") : fields[2];
    if (name.length < 2 || name.length > 120) return null;
    // The number's fourth digit gives the century (and sex), the next two the year of birth:
    // a card whose number and birth date disagree is refused here, as the server would.
    var century = parseInt(fields[0].charAt(3), 10), year = parseInt(fields[3].slice(4), 10);
    if (century > 5 || 1900 + Math.floor(century / 2) * 100 + parseInt(fields[0].slice(4, 6), 10) !== year) return null;
    return { number: fields[0], name: name, birth_year: year };
  }

  function masked(name) {
    var words = (name || "").split(" ");
    return [words[0]].concat(words.slice(1).map(function (w) { return w.charAt(0) + "."; })).join(" ");
  }

  function keyStore(mode, work) {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(KEY_DB, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore("keys"); };
      request.onerror = function () { reject(request.error); };
      request.onsuccess = function () {
        var db = request.result, tx = db.transaction("keys", mode), r = work(tx.objectStore("keys"));
        tx.oncomplete = function () { db.close(); resolve(r && r.result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      };
    });
  }

  function deviceKey() {
    return keyStore("readonly", function (s) { return s.get("queue"); }).then(function (key) {
      if (key) return key;
      return crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"])
        .then(function (fresh) {
          return keyStore("readwrite", function (s) { return s.put(fresh, "queue"); }).then(function () { return fresh; });
        });
    });
  }

  function canSeal() { return !!(window.crypto && crypto.subtle && window.indexedDB); }

  function seal(card) {
    var plain = new TextEncoder().encode(JSON.stringify(card));
    if (!canSeal()) return Promise.resolve({ clear: card });  // an old browser: the minimum only
    var iv = crypto.getRandomValues(new Uint8Array(12));
    return deviceKey().then(function (key) {
      return crypto.subtle.encrypt({ name: "AES-GCM", iv: iv }, key, plain);
    }).then(function (data) { return { iv: iv, data: new Uint8Array(data) }; });
  }

  function open(sealed) {
    if (sealed.clear) return Promise.resolve(sealed.clear);
    return deviceKey().then(function (key) {
      return crypto.subtle.decrypt({ name: "AES-GCM", iv: sealed.iv }, key, sealed.data);
    }).then(function (plain) { return JSON.parse(new TextDecoder().decode(plain)); });
  }

  window.vaoraCards = { looksLikeCard: looksLikeCard, read: read, masked: masked, seal: seal, open: open };
})();
