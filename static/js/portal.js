// Small enhancements only: every portal form works without this file.
(function () {
  "use strict";

  // A double tap sends one request; the server also ignores a repeated form
  // (its client_token), so this only spares the patient a second wait.
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sending === "1") {
        event.preventDefault();
        return;
      }
      form.dataset.sending = "1";
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.setAttribute("aria-disabled", "true");
      });
    });
  });

  // Coming back with the Back button restores the page as it was: let it send again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    document.querySelectorAll("form[data-once]").forEach(function (form) {
      delete form.dataset.sending;
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.removeAttribute("aria-disabled");
      });
    });
  });

  // After a rejected submission, bring the list of problems into view.
  var errors = document.getElementById("form-errors");
  if (errors) {
    errors.focus();
  }
})();
