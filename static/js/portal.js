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
  // The answers are stored encrypted (AES-GCM) with a key the server gives only to the
  // patient's signed-in pages (`data-draft-key`): after a timeout, whoever picks up a
  // shared phone finds nothing readable. Without WebCrypto no draft is kept.
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

  // A stored draft: {savedAt, iv, data} (base64); one without `iv` (kept in clear text
  // by an earlier version) or a day old is dropped.
  function readDraft(store, key) {
    var draft = null;
    try {
      draft = JSON.parse(store.getItem(key));
    } catch (error) {
      draft = null;
    }
    if (!draft || typeof draft.iv !== "string" || typeof draft.data !== "string" ||
        !(Date.now() - draft.savedAt < DRAFT_MAX_AGE_MS)) {
      store.removeItem(key);
      return null;
    }
    return draft;
  }

  var subtle = window.crypto && window.crypto.subtle;

  function bytesOf(base64) {
    return Uint8Array.from(atob(base64), function (c) { return c.charCodeAt(0); });
  }

  function base64Of(buffer) {
    return btoa(String.fromCharCode.apply(null, new Uint8Array(buffer)));
  }

  function draftCipher(hex) {
    if (!subtle || !hex || hex.length !== 64) {
      return null;
    }
    var raw = new Uint8Array(hex.match(/../g).map(function (pair) { return parseInt(pair, 16); }));
    return subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
  }

  function sealDraft(cipher, fields) {
    var iv = window.crypto.getRandomValues(new Uint8Array(12));
    var plain = new TextEncoder().encode(JSON.stringify(fields));
    return cipher.then(function (key) {
      return subtle.encrypt({ name: "AES-GCM", iv: iv }, key, plain);
    }).then(function (sealed) {
      return JSON.stringify({ savedAt: Date.now(), iv: base64Of(iv), data: base64Of(sealed) });
    });
  }

  function openDraft(cipher, draft) {
    return cipher.then(function (key) {
      return subtle.decrypt({ name: "AES-GCM", iv: bytesOf(draft.iv) }, key, bytesOf(draft.data));
    }).then(function (plain) {
      var fields = JSON.parse(new TextDecoder().decode(plain));
      return fields && typeof fields === "object" ? fields : null;
    });
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
      var cipher = draftCipher(form.dataset.draftKey);
      if (!cipher) {
        store.removeItem(key);
        return; // nothing kept in clear text
      }
      var typed = {};
      var draft = readDraft(store, key);
      if (draft) {
        openDraft(cipher, draft).then(function (fields) {
          if (!fields) {
            return;
          }
          // Answered since the page loaded wins over the draft.
          Object.keys(typed).forEach(function (name) { fields[name] = typed[name]; });
          typed = fields;
          if (restoreDraft(form, typed) > 0) {
            var notice = document.querySelector("[data-draft-notice]");
            if (notice) {
              notice.hidden = false;
            }
          }
        }).catch(function () {
          store.removeItem(key); // another key (a new password): unreadable, dropped
        });
      }
      var writing = Promise.resolve();
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
        // One write after another, so the last answer is the one kept.
        var fields = JSON.parse(JSON.stringify(typed));
        writing = writing.then(function () {
          return sealDraft(cipher, fields);
        }).then(function (sealed) {
          store.setItem(key, sealed);
        }).catch(function () {
          // storage full or no crypto: nothing to keep, the form itself is unaffected
        });
      }
      form.addEventListener("input", remember);
      form.addEventListener("change", remember);
    });
  }
})();
