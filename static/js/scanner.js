/* The door scanner: camera (native BarcodeDetector, else jsQR), handheld scanner or typed code, lookup,
   undo and live counters. Verdicts come from POST /api/v1/checkin; a request lost on bad Wi-Fi is retried
   with the same nonce, so a retry can never admit twice. Names are always set as text, never as HTML. */
(function () {
  "use strict";
  var root = document.getElementById("door");
  if (!root) { return; }
  var T = root.dataset;
  var ROLES = JSON.parse(T.roles || "{}");
  var SHOW_MS = 1400;          // the full-screen verdict; the scanner is ready again after it
  var SAME_CODE_MS = 4000;     // a code still in view this long after its last sighting is not sent again
  var SCAN_EVERY_MS = 120;
  var busy = false, lastCode = null, lastSeen = 0, lastAdmittedSecret = null, audio = null, hideTimer = null;

  function $(id) { return document.getElementById(id); }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_m, key) { return values[key] == null ? "" : values[key]; });
  }
  function sleep(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }
  function newNonce() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);  // works on plain http too, unlike crypto.randomUUID
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function localTime(iso) {
    if (!iso) { return ""; }
    return new Date(iso).toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit" });
  }
  function setConnection(text) { $("connection-status").textContent = text || ""; }

  /* ---- talking to the server ---- */
  async function postJson(url, body) {
    // Network failures are retried with the same body (and nonce); HTTP answers are final.
    for (var attempt = 0; ; attempt++) {
      try {
        var response = await fetch(url, {
          method: "POST", credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": T.csrf, "Accept": "application/json" },
          body: JSON.stringify(body)
        });
        setConnection("");
        var data = null;
        try { data = await response.json(); } catch (e) { data = null; }
        return { status: response.status, data: data };
      } catch (error) {
        setConnection(T.tOffline);
        if (attempt >= 9) { throw error; }
        await sleep(Math.min(400 * Math.pow(2, attempt), 4000));
      }
    }
  }

  /* ---- feedback ---- */
  function beep(ok) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var osc = audio.createOscillator(), gain = audio.createGain();
      osc.frequency.value = ok ? 880 : 220;
      gain.gain.value = 0.15;
      osc.connect(gain); gain.connect(audio.destination);
      osc.start(); osc.stop(audio.currentTime + (ok ? 0.12 : 0.35));
    } catch (e) { /* no sound is no reason to stop scanning */ }
    if (navigator.vibrate) { navigator.vibrate(ok ? 80 : [120, 80, 120]); }
  }

  var TITLES = {
    admitted: T.tAdmitted, already_checked_in: T.tAlready, unknown: T.tUnknown, cancelled: T.tCancelled,
    waitlisted: T.tWaitlisted, undone: T.tUndone, not_checked_in: T.tNotCheckedIn
  };
  var TONES = { admitted: "ok", undone: "ok", waitlisted: "warn", not_checked_in: "warn" };

  function showVerdict(data, secret) {
    var verdict = $("verdict"), person = data.attendee;
    var tone = TONES[data.verdict] || "bad";
    verdict.className = "verdict verdict-" + tone;
    verdict.dataset.verdict = data.verdict;
    verdict.querySelector(".verdict-title").textContent = TITLES[data.verdict] || T.tError;
    verdict.querySelector(".verdict-name").textContent = person ? person.name : "";
    verdict.querySelector(".verdict-org").textContent = person ? person.organisation : "";
    verdict.querySelector(".verdict-role").textContent = person ?
      (ROLES[person.participation] || "") + (person.walk_in ? " · " + T.tWalkIn : "") : "";
    verdict.querySelector(".verdict-sign").textContent = person && person.signs_pledge && data.verdict === "admitted" ? T.tSigns : "";
    verdict.querySelector(".verdict-detail").textContent = data.verdict === "already_checked_in" ?
      fill(T.tAt, { time: localTime(data.checked_in_at), where: data.checked_in_by || "" }) : "";
    verdict.hidden = false;
    beep(tone === "ok");
    clearTimeout(hideTimer);
    hideTimer = setTimeout(function () { verdict.hidden = true; busy = false; $("manual-code").focus(); }, SHOW_MS);
    // The last verdict stays below the scanner, with an undo for a mistaken admission.
    var line = [TITLES[data.verdict], person && person.name, person && person.organisation].filter(Boolean).join(" · ");
    $("last-verdict").className = "last-verdict last-verdict-" + tone;
    $("last-verdict").querySelector(".last-verdict-text").textContent = line;
    $("last-verdict").hidden = false;
    lastAdmittedSecret = data.verdict === "admitted" ? secret : null;
    $("last-undo").hidden = !lastAdmittedSecret;
  }

  async function send(url, secret, source) {
    busy = true;
    var body = { secret: secret, nonce: newNonce() };
    if (source) { body.source = source; }
    try {
      var result = await postJson(url, body);
      if (result.status === 401) { setConnection(T.tSignedOut); busy = false; return; }
      if (result.status !== 200 || !result.data) {
        showVerdict({ verdict: "error", attendee: null }, null);
        return;
      }
      showVerdict(result.data, secret);
      refreshCounters();
      if ($("lookup-q").value.trim()) { lookup(); }
    } catch (error) {
      setConnection(T.tError);
      busy = false;
    }
  }

  function checkIn(secret, source) { if (!busy && secret) { send(T.checkinUrl, secret, source); } }
  function undo(secret) { if (secret) { busy = false; send(T.undoUrl, secret); } }

  /* ---- camera ---- */
  function cameraMessage(text, offerRetry) {
    $("camera-status").textContent = text;
    $("camera-start").hidden = !offerRetry;
  }

  function onCode(text) {
    var now = Date.now();
    var same = text === lastCode && now - lastSeen < SAME_CODE_MS;
    lastCode = text; lastSeen = now;
    if (!same) { checkIn(text, "scan"); }
  }

  function makeDecoder(video) {
    var canvas = document.createElement("canvas"), context = canvas.getContext("2d", { willReadFrequently: true });
    function withJsQR() {
      var scale = Math.min(1, 640 / (video.videoWidth || 640));
      canvas.width = Math.round(video.videoWidth * scale); canvas.height = Math.round(video.videoHeight * scale);
      if (!canvas.width || !canvas.height) { return Promise.resolve(null); }
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var code = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "attemptBoth" });
      return Promise.resolve(code ? code.data : null);
    }
    if (!("BarcodeDetector" in window)) { return withJsQR; }
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    return function () {
      return detector.detect(video).then(function (codes) { return codes.length ? codes[0].rawValue : null; });
    };
  }

  async function startCamera() {
    var video = $("camera");
    if (!window.isSecureContext) { cameraMessage(T.tCameraInsecure, false); return; }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { cameraMessage(T.tCameraUnsupported, false); return; }
    try {
      video.srcObject = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      await video.play();
    } catch (error) {
      var name = error && error.name;
      cameraMessage(name === "NotAllowedError" || name === "SecurityError" ? T.tCameraDenied :
                    name === "NotFoundError" || name === "OverconstrainedError" ? T.tCameraMissing : T.tCameraFailed, true);
      return;
    }
    cameraMessage(T.tCameraOn, false);
    video.classList.add("camera-on");
    var decode = makeDecoder(video);
    (async function loop() {
      for (;;) {
        await sleep(SCAN_EVERY_MS);
        if (busy || video.readyState < 2) { continue; }
        try {
          var text = await decode();
          if (text) { onCode(text); }
        } catch (error) { /* an unreadable frame or foreign code never stops the loop */ }
      }
    })();
  }

  /* ---- lookup ---- */
  var lookupTimer = null, lookupSerial = 0;
  async function lookup() {
    var query = $("lookup-q").value.trim(), list = $("lookup-results"), serial = ++lookupSerial;
    if (!query) { list.textContent = ""; return; }
    try {
      var response = await fetch(T.lookupUrl + "?q=" + encodeURIComponent(query), { credentials: "same-origin" });
      if (!response.ok || serial !== lookupSerial) { return; }
      renderResults((await response.json()).results);
    } catch (error) { setConnection(T.tOffline); }
  }

  function renderResults(results) {
    var list = $("lookup-results");
    list.textContent = "";
    if (!results.length) {
      var empty = document.createElement("li"); empty.textContent = T.tNoResults; list.appendChild(empty); return;
    }
    results.forEach(function (person) {
      var item = document.createElement("li"), text = document.createElement("span"), button = document.createElement("button");
      var state = person.status === "cancelled" ? T.tStatusCancelled : person.status === "waitlisted" ? T.tStatusWaitlisted :
        person.checked_in_at ? fill(T.tCheckedInAt, { time: localTime(person.checked_in_at) }) : "";
      var name = document.createElement("strong");
      name.textContent = person.name;
      text.appendChild(name);
      text.appendChild(document.createTextNode(
        [""].concat([person.organisation, ROLES[person.participation], state].filter(Boolean)).join(" · ")));
      button.type = "button"; button.className = "button";
      if (person.checked_in_at) {
        button.textContent = T.tUndo;
        button.addEventListener("click", function () { undo(person.secret); });
      } else {
        button.textContent = T.tCheckIn;
        button.className = "button button-primary";
        button.addEventListener("click", function () { busy = false; checkIn(person.secret, "lookup"); });
      }
      item.appendChild(text); item.appendChild(button); list.appendChild(item);
    });
  }

  /* ---- counters ---- */
  async function refreshCounters() {
    try {
      var response = await fetch(T.statsUrl, { credentials: "same-origin" });
      if (!response.ok) { return; }
      var counts = await response.json();
      $("count-admitted").textContent = counts.admitted;
      $("count-expected").textContent = counts.expected;
      var list = $("count-entrances");
      list.textContent = "";
      counts.entrances.forEach(function (row) {
        var item = document.createElement("li"); item.textContent = row.entrance + ": " + row.admitted; list.appendChild(item);
      });
    } catch (error) { /* the next poll tries again */ }
  }

  /* ---- wiring ---- */
  $("manual-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var input = $("manual-code"), code = input.value.trim();
    input.value = "";
    busy = false;  // a person pressing Enter always gets an answer, even during the previous verdict
    checkIn(code, "scan");
  });
  $("camera-start").addEventListener("click", startCamera);
  $("last-undo").addEventListener("click", function () { undo(lastAdmittedSecret); });
  $("verdict").addEventListener("click", function () { $("verdict").hidden = true; busy = false; });
  $("lookup-q").addEventListener("input", function () { clearTimeout(lookupTimer); lookupTimer = setTimeout(lookup, 200); });
  setInterval(refreshCounters, 5000);
  startCamera();
})();
