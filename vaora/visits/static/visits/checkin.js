// The check-in and check-out buttons: queue first, then send. Online, the person lands on
// "My check-ins"; offline, they see that the scan is kept on the phone and will be sent.
(function () {
  "use strict";
  function show(form, text) {
    var box = document.getElementById("offline-status");
    if (box) { box.hidden = false; box.textContent = text; }
  }

  function tokenFromPath() {
    var parts = location.pathname.split("/");
    return parts[parts.length - 1];
  }

  function checkedDependants(form) {
    return Array.prototype.map.call(form.querySelectorAll('input[name="dependants"]:checked'),
      function (box) { return parseInt(box.value, 10); });
  }

  function afterQueued(form, kind, clientId) {
    return window.vaoraQueue.flush().then(function (outcome) {
      var mine = outcome.results.filter(function (r) { return r.client_id === clientId; })[0];
      if (mine && mine.status === "rejected") { show(form, mine.message); return; }
      window.location.assign("/me/visits/");
    }).catch(function () {
      show(form, form.dataset.offlineMessage);
      if (kind === "check_in") {
        var out = document.getElementById("offline-checkout");
        if (out) { out.hidden = false; out.dataset.visitClientId = clientId; }
      }
    });
  }

  function onSubmit(event) {
    var form = event.target;
    var kind = form.dataset.offlineQueue;
    if (!kind || !window.indexedDB || !window.vaoraQueue) return; // plain form post instead
    event.preventDefault();
    var clientId = kind === "check_in" && form.client_id ? form.client_id.value : window.vaoraQueue.uuid();
    var item = { client_id: clientId, action: kind, at: new Date().toISOString() };
    if (kind === "check_in") {
      item.token = form.dataset.token || tokenFromPath();
      item.dependant_ids = checkedDependants(form);
    } else {
      item.visit_client_id = form.dataset.visitClientId;
    }
    if (window.vaoraHistory) {  // this phone's own history, for the self-check; never sent
      if (kind === "check_in" && window.vaoraHistory.placeOf(form)) window.vaoraHistory.add(window.vaoraHistory.placeOf(form));
      if (kind === "check_out" && form.dataset.venueId) window.vaoraHistory.leave(parseInt(form.dataset.venueId, 10));
    }
    window.vaoraQueue.add(item).then(function () { return afterQueued(form, kind, clientId); });
  }

  // When the network returns, queue.js sends what waited; once nothing waits, the notice that
  // said "will be sent" says it was sent (it must not keep promising).
  window.addEventListener("online", function () {
    var box = document.getElementById("offline-status");
    if (!box || box.hidden || !window.vaoraQueue) return;
    window.vaoraQueue.flush().then(function () { return window.vaoraQueue.pending(); })
      .then(function (left) { if (!left.length) box.textContent = box.dataset.sentMessage; })
      .catch(function () {});
  });

  document.addEventListener("submit", onSubmit);
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("#offline-checkout");
    if (!button) return;
    var item = { client_id: window.vaoraQueue.uuid(), action: "check_out",
                 at: new Date().toISOString(), visit_client_id: button.dataset.visitClientId };
    window.vaoraQueue.add(item).then(function () {
      button.hidden = true;
      return window.vaoraQueue.flush().then(function () { window.location.assign("/me/visits/"); });
    }).catch(function () { show(button, button.dataset.offlineMessage); });
  });
  document.addEventListener("DOMContentLoaded", function () {
    var list = document.getElementById("dependants-cache");
    if (list) { try { localStorage.setItem("vaora-dependants", list.textContent); } catch (e) {} }
    var slot = document.getElementById("offline-dependants");
    if (slot) {
      var saved = [];
      try { saved = JSON.parse(localStorage.getItem("vaora-dependants") || "[]"); } catch (e) {}
      saved.forEach(function (d) {
        var label = document.createElement("label"); label.className = "check";
        var box = document.createElement("input"); box.type = "checkbox"; box.name = "dependants"; box.value = d.id;
        label.appendChild(box); label.appendChild(document.createTextNode(" " + d.name));
        slot.appendChild(label);
      });
    }
    // Venue names by poster, so the offline page can say where the person is checking in.
    var known = {};
    try { known = JSON.parse(localStorage.getItem("vaora-venues") || "{}"); } catch (e) {}
    var here = document.getElementById("checkin-form") || document.getElementById("remember-here");
    if (here && here.dataset.venueName) {
      known[tokenFromPath()] = here.dataset.venueName;
      var keys = Object.keys(known);
      if (keys.length > 50) delete known[keys[0]];
      try { localStorage.setItem("vaora-venues", JSON.stringify(known)); } catch (e) {}
    }
    var named = document.getElementById("offline-venue");
    if (named && known[tokenFromPath()]) { named.textContent = known[tokenFromPath()]; named.hidden = false; }
    var fresh = document.querySelector('input[name="client_id"][data-fresh]');
    if (fresh) fresh.value = window.vaoraQueue.uuid();
    var auto = document.querySelector('form[data-auto="1"]');
    if (auto && auto.requestSubmit) auto.requestSubmit();  // the person chose one-scan check-in
  });
})();
