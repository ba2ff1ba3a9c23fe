// Mailing progress: poll the outbox counts for this mailing until nothing is queued or sending.
(function () {
  "use strict";
  var box = document.getElementById("mailing-progress");
  if (!box) { return; }
  var bar = box.querySelector("progress");

  function show(counts) {
    box.querySelectorAll("[data-stat]").forEach(function (el) {
      if (counts[el.dataset.stat] !== undefined) { el.textContent = counts[el.dataset.stat]; }
    });
    bar.max = counts.total || 1;
    bar.value = counts.sent;
    return counts.queued + counts.sending > 0;
  }

  function poll() {
    fetch(box.dataset.progressUrl, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (counts) {
        if (counts && show(counts)) { window.setTimeout(poll, 3000); }
      })
      .catch(function () { window.setTimeout(poll, 10000); });
  }

  window.setTimeout(poll, 1000);
})();
