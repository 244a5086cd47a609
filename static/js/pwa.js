// Registers the portal's service worker, so the portal installs as an app and can
// show reminder notifications. The portal works the same without it.
(function () {
  "use strict";
  var script = document.getElementById("pwa-script");
  if (!script || !("serviceWorker" in navigator)) return;
  navigator.serviceWorker
    .register(script.dataset.sw, { scope: script.dataset.scope })
    .catch(function () { /* no worker: no notifications, nothing else changes */ });
})();
