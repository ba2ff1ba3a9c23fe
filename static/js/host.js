/* Host's view: refresh the list of next partners every 10 s without reloading the page (nor losing scroll). */
(function () {
  "use strict";
  var queue = document.getElementById("host-queue");
  if (!queue) { return; }
  function refresh() {
    fetch(window.location.href, { cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (html) {
        // Parsed as an inert document (scripts do not run); the server escaped every name in it.
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("host-queue");
        if (fresh) { queue.replaceChildren.apply(queue, Array.prototype.slice.call(fresh.childNodes)); }
      })
      .catch(function () { /* keep the last list; the next round tries again */ })
      .then(function () { setTimeout(refresh, 10000); });
  }
  setTimeout(refresh, 10000);
}());
