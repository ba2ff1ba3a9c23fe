/* Signing station: draw the signature (signature_pad, Pointer Events), clear, and send it with its strokes. */
(function () {
  "use strict";
  var form = document.getElementById("sign-form");
  var canvas = document.getElementById("signature-canvas");
  if (!form || !canvas || !window.SignaturePad) { return; }
  var pad = new window.SignaturePad(canvas, { minWidth: 0.8, maxWidth: 3, penColor: "#1d1d1b" });
  var errorBox = document.getElementById("sign-error");
  var submit = document.getElementById("signature-submit");
  var busy = form.querySelector("[data-busy]");

  function message(selector) { return form.querySelector(selector).textContent; }

  function showError(text) {
    errorBox.textContent = text;  // text only: a message never becomes markup
    errorBox.hidden = !text;
  }

  // Keep the drawing sharp on high-density screens and after a rotation (landscape <-> portrait).
  function resize() {
    var ratio = Math.max(window.devicePixelRatio || 1, 1);
    var data = pad.toData();
    canvas.width = canvas.offsetWidth * ratio;
    canvas.height = canvas.offsetHeight * ratio;
    canvas.getContext("2d").scale(ratio, ratio);
    pad.clear();
    if (data.length) { pad.fromData(data); }
  }
  window.addEventListener("resize", resize);
  resize();

  document.getElementById("signature-clear").addEventListener("click", function () {
    pad.clear();
    showError("");
  });

  function toBlob() {
    return new Promise(function (resolve) { canvas.toBlob(resolve, "image/png"); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (pad.isEmpty()) { showError(message("[data-msg-empty]")); return; }
    submit.disabled = true;
    busy.hidden = false;
    toBlob().then(function (png) {
      var data = new FormData(form);
      data.append("image", png, "signature.png");
      data.append("strokes", new Blob([JSON.stringify(pad.toData())], { type: "application/json" }), "strokes.json");
      return fetch(form.action, { method: "POST", body: data, credentials: "same-origin",
                                  headers: { "Accept": "application/json" } });
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      if (result.ok && result.body.done_url) { window.location.assign(result.body.done_url); return; }
      showError(result.body.message || result.body.error || message("[data-msg-network]"));
    }).catch(function () {
      showError(message("[data-msg-network]"));
    }).then(function () {
      submit.disabled = false;
      busy.hidden = true;
    });
  });
}());
