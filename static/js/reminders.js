// "Allow notifications on this device": asks the browser for a Web Push subscription
// and hands it to the server. Progressive: without JavaScript the button stays hidden
// and email and the calendar feed still work.
(function () {
  "use strict";
  var button = document.getElementById("push-enable");
  var status = document.getElementById("push-status");
  var messages = document.getElementById("push-messages");
  if (!button || !("serviceWorker" in navigator) || !("PushManager" in window)) return;
  document.querySelectorAll(".js-only-note").forEach(function (note) { note.hidden = true; });
  button.hidden = false;

  function say(kind) {
    var text = messages.content.querySelector("[data-" + kind + "]");
    status.textContent = text ? text.textContent : "";
  }

  function keyBytes(base64) {
    var padded = (base64 + "===".slice((base64.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  button.addEventListener("click", function () {
    button.setAttribute("aria-disabled", "true");
    Notification.requestPermission()
      .then(function (permission) {
        if (permission !== "granted") throw new Error("denied");
        return navigator.serviceWorker.ready;
      })
      .then(function (registration) {
        return registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: keyBytes(button.dataset.key),
        });
      })
      .then(function (subscription) {
        return fetch(button.dataset.url, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
          body: JSON.stringify(subscription.toJSON()),
        });
      })
      .then(function (response) {
        if (!response.ok) throw new Error("failed");
        say("ok");
      })
      .catch(function (error) {
        say(error && error.message === "denied" ? "denied" : "failed");
      })
      .finally(function () { button.removeAttribute("aria-disabled"); });
  });
})();
