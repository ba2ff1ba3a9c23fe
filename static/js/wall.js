/* Live wall: poll the feed every 1.5 s, back off while the server is away, recover by itself. */
(function () {
  "use strict";
  var wall = document.getElementById("wall");
  if (!wall) { return; }
  var feedUrl = wall.getAttribute("data-feed");
  var list = document.getElementById("wall-list");
  var latestOrganisation = document.getElementById("wall-latest-org");
  var latestSigner = document.getElementById("wall-latest-signer");
  var offline = document.getElementById("wall-offline");
  var INTERVAL = 1500, MAX_DELAY = 30000;
  var delay = INTERVAL, shown = {};

  function entryNode(entry) {
    var item = document.createElement("li");
    item.className = "wall-entry wall-new";
    item.setAttribute("data-key", entry.key);
    var organisation = document.createElement("span");
    organisation.className = "wall-org";
    organisation.textContent = entry.organisation;  // names are text, never markup
    item.appendChild(organisation);
    if (entry.signer) {
      var signer = document.createElement("span");
      signer.className = "wall-signer";
      signer.textContent = entry.signer;
      item.appendChild(signer);
    }
    return item;
  }

  function render(feed) {
    document.getElementById("wall-signed").textContent = String(feed.signed);
    document.getElementById("wall-expected").textContent = String(feed.expected);
    var keys = {};
    feed.entries.forEach(function (entry) {
      keys[entry.key] = true;
      if (!shown[entry.key]) {
        shown[entry.key] = entryNode(entry);
        list.insertBefore(shown[entry.key], list.firstChild);
        latestOrganisation.textContent = entry.organisation;
        latestSigner.textContent = entry.signer;
      }
    });
    Object.keys(shown).forEach(function (key) {  // a withdrawal disappears from the wall
      if (!keys[key]) { list.removeChild(shown[key]); delete shown[key]; }
    });
    list.classList.toggle("wall-many", feed.entries.length > 24);
  }

  function poll() {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = setTimeout(function () { if (controller) { controller.abort(); } }, 10000);
    fetch(feedUrl, { cache: "no-store", credentials: "same-origin", signal: controller && controller.signal,
                     headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (feed) {
        render(feed);
        offline.hidden = true;
        delay = INTERVAL;
      })
      .catch(function () {
        offline.hidden = false;
        delay = Math.min(delay * 2, MAX_DELAY);
      })
      .then(function () {
        clearTimeout(timer);
        setTimeout(poll, delay);
      });
  }
  poll();
}());
