/* Centra dashboard: small enhancements. Every flow also works without this file. */
(function () {
  "use strict";

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) {
      return values[key] === undefined ? "" : values[key];
    });
  }

  /* The program builder: move exercises without a round trip, drag and drop,
     filter the catalog as you choose, and warn before leaving unsaved edits. */
  function initBuilder(form) {
    var list = form.querySelector("[data-sortable]");
    var announce = form.querySelector("[data-announce]");
    var dirty = false;

    function items() {
      return Array.prototype.slice.call(list.querySelectorAll("[data-item]"));
    }

    function renumber() {
      var all = items();
      all.forEach(function (item, index) {
        item.querySelector('input[name$="-order"]').value = index + 1;
        item.querySelector("[data-position]").textContent = index + 1;
        item.querySelector('[data-move="up"]').disabled = index === 0;
        item.querySelector('[data-move="down"]').disabled = index === all.length - 1;
      });
    }

    function say(item) {
      if (!announce) return;
      var position = items().indexOf(item) + 1;
      announce.textContent = format(announce.getAttribute("data-moved-text") || "", {
        name: item.querySelector("[data-name]").textContent,
        n: position,
      });
    }

    if (list) {
      list.addEventListener("click", function (event) {
        var button = event.target.closest("[data-move]");
        if (!button) return;
        event.preventDefault();
        var item = button.closest("[data-item]");
        if (button.getAttribute("data-move") === "up" && item.previousElementSibling) {
          list.insertBefore(item, item.previousElementSibling);
        } else if (button.getAttribute("data-move") === "down" && item.nextElementSibling) {
          list.insertBefore(item.nextElementSibling, item);
        }
        renumber();
        dirty = true;
        // Keep the keyboard where it was; a disabled button cannot hold focus.
        (button.disabled ? item.querySelector("[data-move]:not([disabled])") : button).focus();
        say(item);
      });

      var dragged = null;
      items().forEach(function (item) {
        var handle = item.querySelector("[data-handle]");
        handle.hidden = false;
        handle.addEventListener("mousedown", function () { item.draggable = true; });
        item.addEventListener("dragstart", function (event) {
          dragged = item;
          item.classList.add("is-dragging");
          event.dataTransfer.effectAllowed = "move";
          event.dataTransfer.setData("text/plain", "");
        });
        item.addEventListener("dragend", function () {
          item.draggable = false;
          item.classList.remove("is-dragging");
          dragged = null;
          renumber();
          dirty = true;
          say(item);
        });
      });
      list.addEventListener("dragover", function (event) {
        if (!dragged) return;
        event.preventDefault();
        var target = event.target.closest("[data-item]");
        if (!target || target === dragged) return;
        var box = target.getBoundingClientRect();
        var after = event.clientY > box.top + box.height / 2;
        list.insertBefore(dragged, after ? target.nextSibling : target);
      });
      list.addEventListener("drop", function (event) { event.preventDefault(); });
    }

    var filter = form.querySelector("[data-catalog-filter]");
    var catalog = form.querySelector("[data-catalog]");
    if (filter && catalog) {
      var button = filter.querySelector("[data-filter-button]");
      if (button) button.hidden = true;
      var empty = form.querySelector("[data-catalog-empty]");
      var selects = filter.querySelectorAll("select");
      var apply = function () {
        var direction = selects[0].value;
        var position = selects[1].value;
        var shown = 0;
        catalog.querySelectorAll("li").forEach(function (li) {
          var match = (!direction || li.getAttribute("data-direction") === direction) &&
            (!position || li.getAttribute("data-position") === position);
          li.hidden = !match;
          if (match) shown += 1;
        });
        if (empty) empty.hidden = shown > 0;
      };
      selects.forEach(function (select) { select.addEventListener("change", apply); });
    }

    form.addEventListener("input", function (event) {
      if (!event.target.closest("[data-catalog-filter]")) dirty = true;
    });
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  }

  /* Acknowledge an alert in place; who and when come back from the server. */
  function initAcknowledge(form) {
    form.addEventListener("submit", function (event) {
      if (!window.fetch) return;
      event.preventDefault();
      var button = form.querySelector("button");
      button.disabled = true;
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (data) {
          var note = document.createElement("p");
          note.className = "small alert-item__done";
          note.setAttribute("role", "status");
          note.textContent = format(form.getAttribute("data-done-text") || "", { by: data.by });
          form.replaceWith(note);
          var item = note.closest("[data-alert]");
          if (item) item.classList.add("is-done");
          var section = note.closest("section");
          var count = section && section.querySelector("[data-open-count]");
          if (count && !section.querySelector("form[data-acknowledge]")) count.hidden = true;
        })
        .catch(function () {
          form.submit();
        });
    });
  }

  function initCopy(button) {
    var input = document.querySelector(button.getAttribute("data-copy"));
    if (!input) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      input.select();
      var done = function () {
        button.textContent = button.getAttribute("data-copied-text") || button.textContent;
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, function () {
          document.execCommand("copy");
          done();
        });
      } else {
        document.execCommand("copy");
        done();
      }
    });
  }

  /* A search form's sort and filter choices apply as soon as they change. */
  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    form.querySelectorAll("select, input[type=checkbox]").forEach(function (field) {
      field.addEventListener("change", function () { form.submit(); });
    });
  });

  /* A field to copy from selects all of itself when it gets the focus. */
  document.querySelectorAll("[data-select-on-focus]").forEach(function (field) {
    field.addEventListener("focus", function () { field.select(); });
  });

  /* A button that cannot be undone asks first; the question is in data-confirm. */
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  /* A picture over the size the server takes is refused beside its field at once,
     instead of after a long upload; the server checks it again. */
  function initPictureSize(input) {
    var max = parseInt(input.getAttribute("data-max-bytes"), 10);
    var field = input.closest(".field") || input.parentNode;
    var error = document.createElement("p");
    error.className = "field__error";
    error.id = input.id + "_size_error";
    error.setAttribute("role", "alert");
    error.hidden = true;
    field.appendChild(error);
    var describedBy = input.getAttribute("aria-describedby") || "";
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      var tooLarge = Boolean(file && max && file.size > max);
      error.textContent = tooLarge ? input.getAttribute("data-too-large") : "";
      error.hidden = !tooLarge;
      if (tooLarge) {
        input.value = "";
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", (describedBy + " " + error.id).trim());
      } else {
        input.removeAttribute("aria-invalid");
        if (describedBy) input.setAttribute("aria-describedby", describedBy);
        else input.removeAttribute("aria-describedby");
      }
    });
  }

  /* A one-sided exercise's side: show the sentence the server wrote for the side chosen,
     before the draft is saved. Without the script the saved side's sentence shows. */
  function initSidePreview(preview) {
    var select = document.getElementById(preview.getAttribute("data-side-preview"));
    if (!select) return;
    select.setAttribute("aria-describedby", ((select.getAttribute("aria-describedby") || "") + " " + preview.id).trim());
    select.addEventListener("change", function () {
      preview.querySelectorAll("[data-side]").forEach(function (text) {
        text.hidden = text.getAttribute("data-side") !== select.value;
      });
    });
  }

  document.querySelectorAll("[data-builder]").forEach(initBuilder);
  document.querySelectorAll("[data-side-preview]").forEach(initSidePreview);
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(initPictureSize);
  document.querySelectorAll("form[data-acknowledge]").forEach(initAcknowledge);
  document.querySelectorAll("[data-copy]").forEach(initCopy);
})();
