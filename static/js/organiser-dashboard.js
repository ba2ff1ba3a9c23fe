// Dashboard: on the day, refresh the numbers from the JSON endpoint every 30 seconds (no page reload).
(function () {
  "use strict";
  var box = document.getElementById("dashboard");
  if (!box || !box.dataset.poll) { return; }
  var url = box.dataset.liveUrl;
  var seconds = parseInt(box.dataset.poll, 10) || 30;

  function show(numbers) {
    document.querySelectorAll("[data-stat]").forEach(function (el) {
      var value = numbers[el.dataset.stat];
      if (value !== undefined && String(value) !== el.textContent) { el.textContent = value; }
    });
    var list = document.querySelector('[data-list="partners_missing"]');
    if (list && Array.isArray(numbers.partners_missing)) {
      list.replaceChildren.apply(list, numbers.partners_missing.map(function (name) {
        var item = document.createElement("li");
        item.textContent = name;  // text, never HTML: names are typed by registrants
        return item;
      }));
    }
    var card = document.getElementById("missing-partners");
    if (card) { card.classList.toggle("urgent", Boolean(numbers.urgent && numbers.partners_missing.length)); }
  }

  function poll() {
    fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (numbers) { if (numbers) { show(numbers); } })
      .catch(function () { /* poor venue Wi-Fi: try again at the next tick */ });
  }

  window.setInterval(poll, seconds * 1000);
})();
