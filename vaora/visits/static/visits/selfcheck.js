// Self-check on the phone: the published exposure sites (public, the same list for everyone)
// are fetched, and compared here with the history this phone kept. Nothing about the visits
// leaves the phone.
(function () {
  "use strict";
  var box = document.getElementById("self-check-result");
  var say = JSON.parse(document.getElementById("self-check-text").textContent);
  var STAY_MS = 2 * 3600000;  // a visit never checked out counts for two hours

  function line(text, tag) {
    var p = document.createElement(tag || "p"); p.textContent = text; box.appendChild(p); return p;
  }

  function fetchSites(url, found) {
    return fetch(url, { credentials: "omit", cache: "no-store" }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }).then(function (page) {
      found = found.concat(page.items || []);
      if (found.length < (page.count || 0) && (page.items || []).length) {
        return fetchSites("/api/v1/exposure-sites?limit=200&offset=" + found.length, found);
      }
      return found;
    });
  }

  function overlaps(visit, site) {
    if (visit.venue_id !== site.venue_id) return false;
    if (site.zone_id && visit.zone_id && visit.zone_id !== site.zone_id) return false;
    var start = Date.parse(visit.at);
    var end = visit.left_at ? Date.parse(visit.left_at) : start + STAY_MS;
    return start < Date.parse(site.ends_at) && end > Date.parse(site.starts_at);
  }

  function when(iso) {
    var d = new Date(iso);
    return d.toLocaleString(document.documentElement.lang === "en" ? "en-GB" : "vi-VN",
                            { day: "2-digit", month: "2-digit", hour: "2-digit", minute: "2-digit" });
  }

  function run() {
    var history = window.vaoraHistory.all();
    box.textContent = "";
    if (!history.length) { line(say.empty); return; }
    line(say.checking);
    fetchSites("/api/v1/exposure-sites?limit=200", []).then(function (sites) {
      box.textContent = "";
      var matches = [];
      history.forEach(function (v) {
        sites.forEach(function (s) { if (overlaps(v, s)) matches.push([v, s]); });
      });
      if (!matches.length) {
        line(say.none.replace("%(n)s", history.length)).className = "notice ok";
        return;
      }
      line(say.found).className = "error";
      var list = document.createElement("ul");
      matches.forEach(function (m) {
        var li = document.createElement("li");
        var advice = document.documentElement.lang === "en" ? m[1].advice_en : m[1].advice_vi;
        li.textContent = m[1].venue + (m[1].zone ? " (" + m[1].zone + ")" : "") + " — " +
          when(m[1].starts_at) + " → " + when(m[1].ends_at) + ". " + (advice || say.advice);
        list.appendChild(li);
      });
      box.appendChild(list);
    }).catch(function () { box.textContent = ""; line(say.offline); });
  }

  document.getElementById("self-check-clear").addEventListener("click", function () {
    window.vaoraHistory.clear(); run();
  });
  run();
})();
