/* Signing station start page: the ticket field has the focus, so a handheld scanner can type into it. */
(function () {
  "use strict";
  var field = document.querySelector("[data-autofocus]");
  if (field) { field.focus(); }
}());
