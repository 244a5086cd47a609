{% load static %}// The portal's service worker (a template: portal/offline.py serves it from the portal, so
// its scope is the portal, and it names the static files by their deployed addresses).
//
// Pages of the portal: network first; each page opened is kept, and shown when there is
// no signal. Drawings, styles and scripts: kept, shown from the phone at once and
// refreshed behind (stale-while-revalidate). Logs sent without signal wait in IndexedDB
// (offline-store.js) and are sent here when Background Sync says the network is back.
// Signing out, or an answer that access has ended, deletes all of it.
importScripts("{% static 'portal/offline-store.js' %}");

var PAGES = CentraOffline.CACHE_PREFIX + "pages";
var FILES = CentraOffline.CACHE_PREFIX + "files";
var OFFLINE_PAGE = "{% url 'portal:offline' %}";
var SCOPE = "{% url 'portal:today' %}";
var LOGIN = "{{ urls.login }}";

CentraOffline.configure({
  state: "{% url 'portal:offline_state' %}",
  device: "{% url 'portal:offline_device' %}",
});

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(PAGES)
      .then(function (cache) { return cache.add(OFFLINE_PAGE); })
      .catch(function () { /* kept at the next page instead */ })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

function sameOrigin(url) {
  return url.origin === self.location.origin;
}

// A page the server answered with the sign-in page: the session ended, or access did.
function signedOut(response) {
  return response.redirected && new URL(response.url).pathname.indexOf(LOGIN) === 0;
}

function keepable(response) {
  var type = response.headers.get("Content-Type") || "";
  return response.ok && !response.redirected && type.indexOf("text/html") === 0;
}

function page(event) {
  var request = event.request;
  return fetch(request).then(function (response) {
    if (signedOut(response)) {
      // Forget everything if the server says this phone's access has ended.
      event.waitUntil(CentraOffline.askDevice());
    } else if (keepable(response)) {
      var copy = response.clone();
      event.waitUntil(caches.open(PAGES).then(function (cache) {
        return cache.put(request, copy).then(function () { return cache.match(OFFLINE_PAGE); })
          .then(function (fallback) { return fallback || cache.add(OFFLINE_PAGE); });
      }).catch(function () { /* storage full: the page still shows */ }));
    }
    return response;
  }).catch(function () {
    return caches.open(PAGES).then(function (cache) {
      return cache.match(request, { ignoreVary: true }).then(function (kept) {
        return kept || cache.match(OFFLINE_PAGE).then(function (fallback) {
          return fallback || Response.error();
        });
      });
    });
  });
}

function file(event) {
  var request = event.request;
  return caches.open(FILES).then(function (cache) {
    return cache.match(request).then(function (kept) {
      var fresh = fetch(request).then(function (response) {
        if (response.ok) {
          return cache.put(request, response.clone()).then(function () { return response; });
        }
        return response;
      });
      if (kept) {
        event.waitUntil(fresh.catch(function () { /* no signal: the kept copy stands */ }));
        return kept;
      }
      return fresh;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return; // sends go to the network; the page queues them
  var url = new URL(request.url);
  if (!sameOrigin(url)) return;
  if (request.mode === "navigate" && url.pathname.indexOf(SCOPE) === 0) {
    event.respondWith(page(event));
  } else if (url.pathname.indexOf("{% get_static_prefix %}") === 0) {
    event.respondWith(file(event));
  }
});

// Background Sync: the browser wakes this worker when the network is back. A send that
// failed for want of network is rejected, so that the browser tries again later.
self.addEventListener("sync", function (event) {
  if (event.tag !== CentraOffline.SYNC_TAG) return;
  event.waitUntil(CentraOffline.flush().then(function (result) {
    if (result.offline) throw new Error("still offline");
    return CentraOffline.tellPages(self.clients, result);
  }));
});

self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {}; }
  event.waitUntil(
    self.registration.showNotification(data.title || "Centra", {
      body: data.body || "",
      icon: "{% static 'portal/icons/icon-192.png' %}",
      badge: "{% static 'portal/icons/icon-192.png' %}",
      data: { url: data.url || SCOPE },
      tag: "centra-reminder",
    })
  );
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var url = (event.notification.data && event.notification.data.url) || SCOPE;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
      for (var i = 0; i < windows.length; i++) {
        if (windows[i].url.indexOf(url) !== -1 && "focus" in windows[i]) return windows[i].focus();
      }
      return self.clients.openWindow(url);
    })
  );
});
