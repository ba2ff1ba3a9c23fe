// Invitations: "tick all" boxes, and the sending progress that refreshes itself from the outbox counts.
(function () {
  "use strict";

  document.querySelectorAll("input.select-all").forEach(function (box) {
    box.addEventListener("change", function () {
      document.querySelectorAll('input[name="' + box.dataset.target + '"]').forEach(function (other) {
        other.checked = box.checked;
      });
    });
  });

  // Ticking someone means "only the ticked ones": switch the scope so that a send never goes to all by mistake.
  var chosen = document.querySelector('input[name="scope"][value="chosen"]');
  document.querySelectorAll('input[name="invitation"], input.select-all[data-target="invitation"]').forEach(function (box) {
    box.addEventListener("change", function () { if (box.checked && chosen) { chosen.checked = true; } });
  });

  var panel = document.getElementById("progress");
  if (!panel) { return; }
  var bar = panel.querySelector("progress");

  function show(counts) {
    panel.querySelector('[data-count="sent"]').textContent = counts.sent;
    panel.querySelector('[data-count="queued"]').textContent = counts.queued + counts.sending;
    panel.querySelector('[data-count="failed"]').textContent = counts.failed;
    bar.max = counts.total;
    bar.value = counts.sent;
    return counts.queued + counts.sending > 0;
  }

  function poll() {
    fetch(panel.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (counts) { if (counts && show(counts)) { window.setTimeout(poll, 2000); } })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
}());
