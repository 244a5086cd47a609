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

  // The nerve question of a session: which symptoms is asked only after a yes.
  // Without this file the list stays shown, headed "If yes: which ones?".
  document.querySelectorAll("[data-nerves]").forEach(function (section) {
    var details = section.querySelector("[data-nerve-details]");
    var yes = section.querySelector('input[type=radio][value="yes"]');
    if (!details || !yes) {
      return;
    }
    function update() {
      details.hidden = !yes.checked;
    }
    section.querySelectorAll("input[type=radio]").forEach(function (radio) {
      radio.addEventListener("change", update);
    });
    update();
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

  // The Account menu (a <details>, usable without this file): Escape closes it and
  // gives the focus back to its button; a tap elsewhere closes it.
  document.querySelectorAll("details.portal-account").forEach(function (menu) {
    var summary = menu.querySelector("summary");
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open) {
        menu.open = false;
        summary.focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (menu.open && !menu.contains(event.target)) {
        menu.open = false;
      }
    });
  });

  // After a rejected submission, bring the list of problems into view.
  var errors = document.getElementById("form-errors");
  if (errors) {
    errors.focus();
  }

  // Drafts. What the patient types into a log form is kept in this browser until the
  // log is saved, so a session that ends meanwhile (idle, or at its maximum age) loses
  // nothing: after signing in again the same form gets the same answers back. Only
  // answers typed here by this patient are kept, keyed by their account and the page,
  // and only empty questions are filled. Saving, or signing out, removes the draft.
  var DRAFT_PREFIX = "centra-draft:";
  var DRAFT_MAX_AGE_MS = 24 * 60 * 60 * 1000;

  function draftStore() {
    try {
      var store = window.localStorage;
      store.getItem(DRAFT_PREFIX);
      return store;
    } catch (error) {
      return null; // storage blocked: the forms work as before
    }
  }

  function draftKey(user, path) {
    return DRAFT_PREFIX + user + ":" + path;
  }

  function readDraft(store, key) {
    var draft = null;
    try {
      draft = JSON.parse(store.getItem(key));
    } catch (error) {
      draft = null;
    }
    if (!draft || typeof draft.fields !== "object" || !(Date.now() - draft.savedAt < DRAFT_MAX_AGE_MS)) {
      store.removeItem(key);
      return null;
    }
    return draft;
  }

  function fieldsNamed(form, name) {
    return Array.prototype.filter.call(form.elements, function (field) {
      return field.name === name;
    });
  }

  // The page's own values are the prescribed amounts (or, after a refused save, the
  // same answers again): what the patient typed replaces them.
  function restoreDraft(form, typed) {
    var restored = 0;
    Object.keys(typed).forEach(function (name) {
      var value = typed[name];
      fieldsNamed(form, name).forEach(function (field) {
        if (field.type === "radio" || field.type === "checkbox") {
          var checked = value !== null && field.value === value;
          if (field.checked !== checked) {
            field.checked = checked;
            restored += 1;
          }
        } else if (value !== null && field.value !== value) {
          field.value = value;
          restored += 1;
        }
      });
    });
    return restored;
  }

  var store = draftStore();
  if (store) {
    // A day-old draft is no answer about today: drop every stale one, whoever's.
    Object.keys(store).forEach(function (key) {
      if (key.indexOf(DRAFT_PREFIX) === 0) {
        readDraft(store, key);
      }
    });

    document.querySelectorAll("[data-draft-done]").forEach(function (element) {
      store.removeItem(draftKey(element.dataset.draftUser, element.dataset.draftDone));
    });

    document.querySelectorAll("form[data-drafts-clear]").forEach(function (form) {
      form.addEventListener("submit", function () {
        var mine = DRAFT_PREFIX + form.dataset.draftUser + ":";
        Object.keys(store).forEach(function (key) {
          if (key.indexOf(mine) === 0) {
            store.removeItem(key);
          }
        });
      });
    });

    document.querySelectorAll("form[data-draft]").forEach(function (form) {
      var key = draftKey(form.dataset.draft, window.location.pathname);
      var draft = readDraft(store, key);
      var typed = draft ? draft.fields : {};
      if (draft && restoreDraft(form, typed) > 0) {
        var notice = document.querySelector("[data-draft-notice]");
        if (notice) {
          notice.hidden = false;
        }
      }
      function remember(event) {
        var field = event.target;
        if (!field.name || field.type === "hidden") {
          return;
        }
        if (field.type === "checkbox") {
          typed[field.name] = field.checked ? field.value : null;
        } else {
          typed[field.name] = field.value;
        }
        try {
          store.setItem(key, JSON.stringify({ savedAt: Date.now(), fields: typed }));
        } catch (error) {
          // storage full: nothing to keep, the form itself is unaffected
        }
      }
      form.addEventListener("input", remember);
      form.addEventListener("change", remember);
    });
  }
})();
