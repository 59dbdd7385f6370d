// The visit history this phone keeps for itself (localStorage "vaora-history"): which venue,
// when in, when out — never sent anywhere. The self-check page (/self-check/) compares it with
// the published exposure sites on the phone, so the server never learns who asked about what.
// Kept for 21 days, as the server keeps visits; at most 300 entries.
(function () {
  "use strict";
  var KEY = "vaora-history", DAYS = 21, MAX = 300;

  function all() {
    try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }

  function save(list) {
    var since = Date.now() - DAYS * 86400000;
    list = list.filter(function (v) { return Date.parse(v.at) > since; }).slice(-MAX);
    try { localStorage.setItem(KEY, JSON.stringify(list)); } catch (e) {}
  }

  function add(place) {
    var list = all();
    list.push({ venue_id: place.venue_id, zone_id: place.zone_id || null, name: place.name,
                at: new Date().toISOString(), left_at: null });
    save(list);
  }

  function leave(venueId) {
    var list = all();
    for (var i = list.length - 1; i >= 0; i--) {
      if (list[i].venue_id === venueId && !list[i].left_at) { list[i].left_at = new Date().toISOString(); break; }
    }
    save(list);
  }

  function clear() { try { localStorage.removeItem(KEY); } catch (e) {} }

  function placeOf(element) {
    if (!element || !element.dataset.venueId) return null;
    return { venue_id: parseInt(element.dataset.venueId, 10),
             zone_id: element.dataset.zoneId ? parseInt(element.dataset.zoneId, 10) : null,
             name: element.dataset.venueName || "" };
  }

  window.vaoraHistory = { all: all, add: add, leave: leave, clear: clear, placeOf: placeOf };

  // A visitor without an account can still remember the visit on this phone only.
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("remember-here");
    if (!button || !window.localStorage) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      add(placeOf(button));
      button.disabled = true;
      button.textContent = button.dataset.done;
    });
  });
})();
