// The gate scanner for venue staff: the camera (vendored jsQR) or a USB scanner typing into the
// code field reads a visitor's personal QR, printed card or travel-declaration QR. Online, the
// server records the entry or exit and answers with the name's initial and declaration status.
// Offline (or when the network is too slow), the code's signature is checked here against the
// published public keys, and the scan waits in this device's queue with its own UUID and time,
// to be sent once — exactly once — when the network returns.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("gate-config").textContent);
  var say = config.messages;
  var panel = document.getElementById("gate-result");
  var pendingBox = document.getElementById("gate-pending");
  var form = document.getElementById("gate-form");
  var field = document.getElementById("gate-code");
  var DOMAIN = new TextEncoder().encode("vaora-qr/1");
  var KEYS_CACHE = "vaora-keys";
  var TIMEOUT_MS = 8000;
  var queue = window.vaoraMakeQueue({
    db: "vaora-gate-" + config.venue_id,
    url: "/api/v1/venues/" + config.venue_id + "/staff-sync",
    payload: function (items) {
      return Promise.all(items.map(function (i) {
        if (i.kind !== "card") return { kind: i.kind, scan: i.scan };
        return window.vaoraCards.open(i.sealed).then(function (card) {
          var body = Object.assign({ client_id: i.client_id }, i.meta, card);
          return { kind: "card", card: body };
        });
      })).then(function (list) { return { items: list }; });
    },
    results: function (answer) { return answer; }
  });

  // --- showing results ---------------------------------------------------------------------
  function show(kind, title, lines, initial) {
    lines = (lines || []).filter(Boolean);
    panel.hidden = false;
    panel.className = "gate-result " + kind;
    panel.textContent = "";
    if (initial) {
      var big = document.createElement("p"); big.className = "gate-initial"; big.textContent = initial;
      panel.appendChild(big);
    }
    var head = document.createElement("p"); head.className = "gate-title"; head.textContent = title;
    panel.appendChild(head);
    (lines || []).forEach(function (text) {
      var p = document.createElement("p"); p.textContent = text; panel.appendChild(p);
    });
  }

  function refreshPending() {
    return queue.pending().then(function (items) {
      pendingBox.textContent = items.length ? say.pending.replace("%(n)s", items.length) : "";
      pendingBox.hidden = !items.length;
    }).catch(function () {});
  }

  // --- local verification (offline) --------------------------------------------------------
  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  function base32(text) {
    var bits = 0, value = 0, out = [];
    for (var i = 0; i < text.length; i++) {
      var index = ALPHABET.indexOf(text.charAt(i));
      if (index < 0) return null;
      value = (value << 5) | index; bits += 5;
      if (bits >= 8) { out.push((value >>> (bits - 8)) & 255); bits -= 8; }
    }
    return new Uint8Array(out);
  }

  function b64url(text) {
    var plain = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4));
    return Uint8Array.from(plain, function (c) { return c.charCodeAt(0); });
  }

  function tokenOf(text) {
    var clean = text.trim();
    var slash = clean.lastIndexOf("/");
    return (slash >= 0 ? clean.slice(slash + 1) : clean).replace(/\s+/g, "").toUpperCase();
  }

  function cachedKeys() {
    try { return JSON.parse(localStorage.getItem(KEYS_CACHE) || "null"); } catch (e) { return null; }
  }

  function loadKeys() {
    return fetch("/.well-known/vaora-keys.json", { credentials: "omit" })
      .then(function (r) { return r.json(); })
      .then(function (body) { localStorage.setItem(KEYS_CACHE, JSON.stringify(body.keys)); })
      .catch(function () {});
  }

  // → {ok: true} | {ok: false, reason} | {unverified: true} (this browser cannot check Ed25519)
  function verifyLocally(text) {
    var raw = base32(tokenOf(text));
    if (!raw || raw.length < 3 + 64 || (raw[0] >> 4) !== 1) return Promise.resolve({ ok: false, reason: say.malformed });
    var kind = raw[0] & 15, kid = (raw[1] << 8) | raw[2];
    if (kind !== 3 && kind !== 4) return Promise.resolve({ ok: false, reason: say.not_personal });
    var keys = cachedKeys() || [];
    var key = keys.filter(function (k) { return k.kid === kid; })[0];
    if (!key) return Promise.resolve(keys.length ? { ok: false, reason: say.unknown_key } : { unverified: true });
    var signed = raw.slice(0, raw.length - 64), signature = raw.slice(raw.length - 64);
    var message = new Uint8Array(DOMAIN.length + signed.length);
    message.set(DOMAIN); message.set(signed, DOMAIN.length);
    if (!window.crypto || !crypto.subtle) return Promise.resolve({ unverified: true });
    return crypto.subtle.importKey("raw", b64url(key.public_key), { name: "Ed25519" }, false, ["verify"])
      .then(function (publicKey) { return crypto.subtle.verify({ name: "Ed25519" }, publicKey, signature, message); })
      .then(function (good) {
        if (!good) return { ok: false, reason: say.bad_signature };
        if (kind === 4) {  // travel declaration: id (8 bytes) + valid until (4 bytes, unix)
          var body = signed.slice(3), until = 0;
          for (var i = 8; i < 12; i++) until = until * 256 + body[i];
          if (until * 1000 < Date.now()) return { ok: false, reason: say.expired };
        }
        return { ok: true };
      }, function () { return { unverified: true }; });
  }

  // --- recording ---------------------------------------------------------------------------
  function direction() {
    var checked = document.querySelector('input[name="direction"]:checked');
    return checked ? checked.value : "in";
  }

  function declarationText(status) {
    return say["declaration_" + status] || "";
  }

  // After a 503 the server said when to come back (Retry-After): until then scans go straight
  // to the device's queue, which sends them then.
  var busyUntil = 0;
  function sendNow(scan) {
    if (Date.now() < busyUntil) return Promise.reject(new Error("server busy"));
    var controller = window.AbortController ? new AbortController() : null;
    var timer = setTimeout(function () { if (controller) controller.abort(); }, TIMEOUT_MS);
    return fetch("/api/v1/venues/" + config.venue_id + "/scan", {
      method: "POST", credentials: "same-origin", signal: controller ? controller.signal : undefined,
      headers: { "Content-Type": "application/json", "X-CSRFToken": config.csrf },
      body: JSON.stringify(scan)
    }).then(function (response) {
      clearTimeout(timer);
      if (response.status === 503) {
        var seconds = parseInt(response.headers.get("Retry-After"), 10);
        busyUntil = Date.now() + (seconds > 0 ? seconds : 5) * 1000;
      }
      if (response.status >= 500) throw new Error("HTTP " + response.status);
      return response.json().then(function (body) { return { status: response.status, body: body }; });
    }, function (error) { clearTimeout(timer); throw error; });
  }

  function queueCard(scan, text) {
    var card = window.vaoraCards.read(text);  // the number, name and birth year; nothing else
    if (!card) { show("bad", say.refused, [say.card_unreadable]); return Promise.resolve(); }
    if (scan.phone) card.phone = scan.phone;  // sealed with the card, never in clear
    return window.vaoraCards.seal(card).then(function (sealed) {
      var meta = { direction: scan.direction, at: scan.at };
      if (scan.zone_id) meta.zone_id = scan.zone_id;
      return queue.add({ client_id: scan.client_id, kind: "card", sealed: sealed, meta: meta });
    }).then(function () {
      show("queued", scan.direction === "out" ? say.queued_out : say.queued_in, [say.card_queued],
           window.vaoraCards.masked(card.name));
      refreshPending();
    });
  }

  function queueOffline(scan, text) {
    if (window.vaoraCards.looksLikeCard(text)) return queueCard(scan, text);
    return verifyLocally(text).then(function (local) {
      if (local.ok === false) { show("bad", say.refused, [local.reason]); return; }
      return queue.add({ client_id: scan.client_id, kind: "scan", scan: scan }).then(function () {
        show("queued", scan.direction === "out" ? say.queued_out : say.queued_in,
             [local.unverified ? say.unverified : say.verified_offline]);
        refreshPending();
      });
    });
  }

  var last = { text: "", at: 0 };
  function handle(text) {
    text = (text || "").trim();
    if (!text) return;
    if (text === last.text && Date.now() - last.at < 3000) return;  // the camera sees it twice
    last = { text: text, at: Date.now() };
    var scan = { client_id: queue.uuid(), code: text.slice(0, 600), direction: direction(),
                 at: new Date().toISOString() };
    if (config.zone_id) scan.zone_id = config.zone_id;
    var phone = document.getElementById("gate-phone");
    if (phone && phone.value.trim() && window.vaoraCards.looksLikeCard(text)) {
      scan.phone = phone.value.trim().slice(0, 20);
      phone.value = "";
    }
    if (!navigator.onLine) { queueOffline(scan, text); return; }
    sendNow(scan).then(function (answer) {
      var body = answer.body;
      if (answer.status === 200) {
        var title = scan.direction === "out" ? say.recorded_out : say.recorded_in;
        if (body.status === "duplicate") title = say.duplicate;
        var lines = [body.name, declarationText(body.declaration)];
        if (body.reachable === false) lines.push(say.no_way_to_reach);
        show(body.declaration === "attention" || body.reachable === false ? "warn" : "ok", title,
             lines, body.initial);
      } else {
        show("bad", say.refused, [body.message || say.malformed]);
      }
    }).catch(function () { queueOffline(scan, text); });
  }

  // --- inputs: keyboard wedge and camera ---------------------------------------------------
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    handle(field.value);
    field.value = "";
    field.focus();
  });

  document.getElementById("gate-sync").addEventListener("click", function () { syncSoon(); });

  document.getElementById("gate-camera-start").addEventListener("click", function (event) {
    var video = document.getElementById("gate-camera");
    event.target.hidden = true;
    video.hidden = false;
    window.vaoraCamera.start(video, function (text) { handle(text); })
      .catch(function () {
        event.target.hidden = false; video.hidden = true; show("bad", say.no_camera, []);
      });
  });

  // A scan refused when it is finally sent (a revoked code, a card the server reads
  // differently) leaves the queue like the rest: the staff are told how many, not left guessing.
  function syncSoon() {
    queue.flush().then(function (done) {
      var refused = (done.results || []).filter(function (r) { return r.status === "rejected"; });
      if (refused.length) show("bad", say.refused, [say.sync_refused.replace("%(n)s", refused.length)]);
      else if (done.sent && panel.classList.contains("queued")) {  // no longer "will be sent"
        show("ok", say.synced.replace("%(n)s", done.sent), []);
      }
    }).then(refreshPending, refreshPending);
  }
  window.addEventListener("online", syncSoon);
  setInterval(function () { if (navigator.onLine) syncSoon(); }, 30000);
  loadKeys();
  refreshPending().then(function () { if (navigator.onLine) syncSoon(); });
  field.focus();
})();
