// The check-in desk (events console). Everything works without it: codes are typed and submitted
// with the form. With it:
// - the result of the last scan is re-inserted into its live region after load, so screen readers
//   announce it (content present at page load is not announced);
// - choosing another session reloads the page at once;
// - "カメラで読み取る" opens the device camera (rear camera first) and reads QR codes with the
//   browser's BarcodeDetector, else with the vendored jsQR (static/vendor/jsqr, Apache-2.0, loaded
//   only when needed). A read code goes into the code field and the form is submitted; after the
//   page comes back the camera restarts by itself until staff stop it.
// Configuration and messages come from data- attributes of #checkin (CSP allows no inline script).
(function () {
  "use strict";
  var root = document.getElementById("checkin");
  if (!root) { return; }

  var CAMERA_KEY = "ouentai-checkin-camera";
  var LAST_KEY = "ouentai-checkin-last";
  // After a read the page reloads and the camera restarts with the same card often still in view: that
  // code is ignored until it has left the picture (a few frames without it) or a minute has passed.
  var BLOCK_MS = 60000;
  var CLEAR_FRAMES = 4;

  var live = document.getElementById("checkin-result");
  if (live && live.innerHTML.trim()) {
    var html = live.innerHTML;
    live.innerHTML = "";
    window.setTimeout(function () { live.innerHTML = html; }, 200);
  }

  var chooser = document.getElementById("session-chooser");
  if (chooser) {
    var select = chooser.querySelector("select");
    if (select) {
      select.addEventListener("change", function () {
        window.sessionStorage.removeItem(LAST_KEY);
        chooser.submit();
      });
    }
  }

  var form = document.getElementById("checkin-form");
  var input = document.getElementById("id_code");
  var toggle = document.getElementById("camera-toggle");
  var panel = document.getElementById("camera-panel");
  var video = document.getElementById("camera-video");
  var status = document.getElementById("camera-status");
  var stopButton = document.getElementById("camera-stop");
  if (!form || !input || !toggle || !panel || !video) { return; }
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { return; }
  toggle.hidden = false;

  var stream = null;
  var running = false;

  function say(key) {
    if (status) { status.textContent = key ? (root.dataset[key] || "") : ""; }
  }

  function loadJsQR() {
    return new Promise(function (resolve, reject) {
      if (window.jsQR) { resolve(window.jsQR); return; }
      var script = document.createElement("script");
      script.src = root.dataset.jsqrSrc;
      script.onload = function () { if (window.jsQR) { resolve(window.jsQR); } else { reject(new Error("jsQR")); } };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function jsqrDecoder() {
    return loadJsQR().then(function (jsQR) {
      var canvas = document.createElement("canvas");
      var context = canvas.getContext("2d", { willReadFrequently: true });
      return function (source) {
        var width = source.videoWidth;
        var height = source.videoHeight;
        if (!width || !height) { return Promise.resolve(null); }
        var scale = Math.min(1, 800 / Math.max(width, height));
        canvas.width = Math.round(width * scale);
        canvas.height = Math.round(height * scale);
        context.drawImage(source, 0, 0, canvas.width, canvas.height);
        var image = context.getImageData(0, 0, canvas.width, canvas.height);
        var found = jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
        return Promise.resolve(found ? found.data : null);
      };
    });
  }

  function makeDecoder() {
    if (!("BarcodeDetector" in window)) { return jsqrDecoder(); }
    return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
      if (formats.indexOf("qr_code") === -1) { return jsqrDecoder(); }
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      return function (source) {
        return detector.detect(source).then(function (codes) {
          return codes.length ? codes[0].rawValue : null;
        });
      };
    }).catch(jsqrDecoder);
  }

  var blocked = (function () {
    var last = (window.sessionStorage.getItem(LAST_KEY) || "").split("|");
    return last[0] && Date.now() - Number(last[1] || 0) < BLOCK_MS ? last[0] : "";
  })();
  var misses = 0;

  function found(value) {
    running = false;
    window.sessionStorage.setItem(LAST_KEY, value + "|" + Date.now());
    input.value = value;
    say("msgRead");
    if (navigator.vibrate) { navigator.vibrate(80); }
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }

  function scan(decode) {
    if (!running) { return; }
    decode(video).then(function (value) {
      var code = (value || "").trim();
      if (!code) {
        misses += 1;
        if (misses >= CLEAR_FRAMES) { blocked = ""; }
      } else if (code === blocked) {
        misses = 0;
      } else if (running) {
        found(code);
        return;
      }
      window.setTimeout(function () { scan(decode); }, 150);
    }).catch(function () {
      window.setTimeout(function () { scan(decode); }, 500);
    });
  }

  function stop(forget) {
    running = false;
    if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
    stream = null;
    video.srcObject = null;
    panel.hidden = true;
    toggle.hidden = false;
    if (forget) { window.sessionStorage.removeItem(CAMERA_KEY); }
  }

  function start() {
    say("msgStarting");
    panel.hidden = false;
    toggle.hidden = true;
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        return video.play();
      })
      .then(makeDecoder)
      .then(function (decode) {
        running = true;
        window.sessionStorage.setItem(CAMERA_KEY, "on");
        say("msgScanning");
        scan(decode);
      })
      .catch(function (error) {
        stop(true);
        say(error && error.name === "NotAllowedError" ? "msgDenied" : "msgFailed");
        input.focus();
      });
  }

  toggle.addEventListener("click", start);
  if (stopButton) {
    stopButton.addEventListener("click", function () {
      stop(true);
      say("msgStopped");
      input.focus();
    });
  }
  if (window.sessionStorage.getItem(CAMERA_KEY) === "on") { start(); }
})();
