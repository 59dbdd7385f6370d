// The in-page poster scanner, for phones whose camera app does not open links: the browser's
// camera, frames read with the vendored jsQR decoder, and a vaora poster URL of this site opens
// its check-in page. Anything else is explained, never followed.
(function () {
  "use strict";
  var video = document.getElementById("camera");
  var status = document.getElementById("scan-status");
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
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

  function tick() {
    if (video.readyState === video.HAVE_ENOUGH_DATA) {
      var scale = Math.min(1, 720 / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var pixels = context.getImageData(0, 0, canvas.width, canvas.height);
      var code = window.jsQR(pixels.data, pixels.width, pixels.height, { inversionAttempts: "dontInvert" });
      if (code && code.data && handle(code.data)) return;
    }
    requestAnimationFrame(tick);
  }

  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    say(status.dataset.noCamera);
    return;
  }
  navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
    .then(function (stream) {
      video.srcObject = stream;
      video.setAttribute("playsinline", "");
      return video.play();
    })
    .then(function () { requestAnimationFrame(tick); })
    .catch(function () { say(status.dataset.noCamera); });
})();
