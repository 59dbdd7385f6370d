// The camera QR reader the poster scanner and the gate scanner share: the back camera, each
// frame scaled to at most 720 px wide (cheap phones) and decoded by the vendored jsQR.
// vaoraCamera.start(video, onCode) resolves once the camera plays; onCode(text) is called for
// every code seen and stops the reading by returning true.
(function () {
  "use strict";
  function start(video, onCode) {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      return Promise.reject(new Error("no camera"));
    }
    var canvas = document.createElement("canvas");
    var context = canvas.getContext("2d", { willReadFrequently: true });
    function tick() {
      if (video.readyState === video.HAVE_ENOUGH_DATA) {
        var scale = Math.min(1, 720 / video.videoWidth);
        canvas.width = Math.round(video.videoWidth * scale);
        canvas.height = Math.round(video.videoHeight * scale);
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        var pixels = context.getImageData(0, 0, canvas.width, canvas.height);
        var code = window.jsQR(pixels.data, pixels.width, pixels.height, { inversionAttempts: "dontInvert" });
        if (code && code.data && onCode(code.data) === true) return;
      }
      requestAnimationFrame(tick);
    }
    return navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (stream) {
        video.srcObject = stream;
        video.setAttribute("playsinline", "");
        return video.play();
      })
      .then(function () { requestAnimationFrame(tick); });
  }
  window.vaoraCamera = { start: start };
})();
