// RSVP form: show the signing partner's questions only when "signs on behalf of the organisation" is chosen.
(function () {
  "use strict";
  var section = document.getElementById("signatory-section");
  if (!section) { return; }
  var radios = document.querySelectorAll('input[name="participation"]');
  function update() {
    var chosen = document.querySelector('input[name="participation"]:checked');
    section.hidden = !(chosen && chosen.value === "signatory");
  }
  radios.forEach(function (radio) { radio.addEventListener("change", update); });
  update();
  var errors = document.getElementById("form-errors");
  if (errors) { errors.focus(); }
})();
