// Live counts: the occupancy page reloads itself every minute while it is on screen. A script
// rather than <meta http-equiv="refresh">, which screen readers announce as a page change and
// which cannot pause while the page is hidden.
(function () {
  "use strict";
  setInterval(function () {
    if (document.visibilityState === "visible") window.location.reload();
  }, 60000);
})();
