// The in-page poster scanner, for phones whose camera app does not open links: the browser's
// camera, frames read with the vendored jsQR decoder, and a vaora poster URL of this site opens
// its check-in page. Anything else is explained, never followed.
(function () {
  "use strict";
  var video = document.getElementById("camera");
  var status = document.getElementById("scan-status");
  var POSTER = /^https?:\/\/([^/]+)\/v\/([a-z2-7]+)$/i; // posters are upper case

  function say(text) { status.hidden = false; status.textContent = text; }

  function handle(text) {
    var match = POSTER.exec(text.trim());
    if (match && match[1].toLowerCase() === location.host.toLowerCase()) {
      location.assign("/V/" + match[2].toUpperCase());
      return true;
    }
    say(status.dataset.notPoster);
    return false;
  }

  window.vaoraCamera.start(video, handle).catch(function () { say(status.dataset.noCamera); });
})();
