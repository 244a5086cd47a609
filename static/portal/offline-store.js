// What the phone keeps for the offline portal, shared by the pages (offline.js) and the
// service worker (sw.js): the queue of forms sent without signal, in IndexedDB, which
// survives a restart of the browser; sending it when the network is back; and
// forgetting everything at sign-out or when the server says access has ended.
(function (root) {
  "use strict";

  var DB_NAME = "centra-offline";
  var CACHE_PREFIX = "centra-";
  var SYNC_TAG = "centra-send";
  var config = { state: "", device: "" };

  function configure(urls) {
    config.state = urls.state;
    config.device = urls.device;
  }

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = root.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore("queue", { keyPath: "id" });
        request.result.createObjectStore("meta");
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  // One transaction on one store; the connection is closed after it, so that deleting
  // the database at sign-out is never blocked by an idle connection.
  function withStore(name, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(name, mode);
        var result = work(tx.objectStore(name));
        tx.oncomplete = function () {
          db.close();
          resolve(result && "result" in result ? result.result : result);
        };
        tx.onerror = tx.onabort = function () {
          db.close();
          reject(tx.error);
        };
      });
    });
  }

  function queued() {
    return withStore("queue", "readonly", function (store) { return store.getAll(); })
      .then(function (items) {
        return items.sort(function (a, b) { return a.queuedAt - b.queuedAt; });
      });
  }

  function enqueue(item) {
    return withStore("queue", "readwrite", function (store) { store.put(item); });
  }

  function dequeue(id) {
    return withStore("queue", "readwrite", function (store) { store.delete(id); });
  }

  function getMeta(key) {
    return withStore("meta", "readonly", function (store) { return store.get(key); });
  }

  function setMeta(key, value) {
    return withStore("meta", "readwrite", function (store) { store.put(value, key); });
  }

  // Everything the portal stored on this phone: kept pages and files, the queue and the
  // last facts from the server.
  function clearAll() {
    var cachesGone = root.caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf(CACHE_PREFIX) === 0;
      }).map(function (name) { return root.caches.delete(name); }));
    });
    var dbGone = new Promise(function (resolve) {
      var request = root.indexedDB.deleteDatabase(DB_NAME);
      request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
    });
    return Promise.all([cachesGone, dbGone]);
  }

  // Pages kept for another account than the one now signed in are dropped (a shared
  // phone); that account's queued logs stay and go at its next sign-in.
  function dropPagesOf(otherUser) {
    return getMeta("state").then(function (state) {
      if (state && state.user !== otherUser) {
        return root.caches.delete(CACHE_PREFIX + "pages");
      }
      return null;
    });
  }

  // The server's answer for this phone, kept for the next time there is no signal.
  // Resolves to the state, to {offline: true} without network, or to {signed_in: false}.
  function refreshState() {
    return fetch(config.state, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) {
          if (body.clear) {
            return clearAll().then(function () { return body; });
          }
          if (!response.ok || !body.signed_in) {
            return askDevice().then(function () { return body; });
          }
          return dropPagesOf(body.user).then(function () {
            var kept = Object.assign({}, body);
            delete kept.csrf; // the form token is never kept: it is asked for each send
            return setMeta("state", kept);
          }).then(function () { return body; });
        });
      }, function () {
        return { offline: true };
      });
  }

  // Not signed in any more: ask whether this phone's account still has access; when not
  // (revoked, archived), forget everything. A session that merely ended keeps the queue.
  function askDevice() {
    return getMeta("state").then(function (state) {
      if (!state || !state.device) return null;
      var url = config.device + "?device=" + encodeURIComponent(state.device);
      return fetch(url, { credentials: "same-origin" }).then(function (response) {
        return response.json();
      }).then(function (answer) {
        return answer.clear ? clearAll() : null;
      }, function () { return null; });
    }, function () { return null; });
  }

  // One sender at a time (a page and the worker may both try when the network returns);
  // the server stores a repeated form once anyway (its token), this spares the requests.
  function oneAtATime(work) {
    if (root.navigator && root.navigator.locks) {
      return root.navigator.locks.request(SYNC_TAG, work);
    }
    return work();
  }

  function sentAt(item, response, urls) {
    var path = new URL(response.url).pathname;
    if (!response.ok || !response.redirected) return false;
    // A session the server could not take (no program in use any more) sends the
    // patient back to Today: not stored, so not "sent".
    return !(item.kind === "session" && path === urls.today);
  }

  // Send every queued form of the account signed in now, oldest first. Resolves to
  // {sent, refused, remaining, offline, result}: `result` is the server's page for the
  // last one sent (its judgement, which is the one that counts).
  function flush() {
    return oneAtATime(function () {
      return queued().then(function (items) {
        var report = { sent: 0, refused: 0, remaining: items.length, offline: false, result: "" };
        if (!items.length) return report;
        return refreshState().then(function (state) {
          if (state.offline) {
            report.offline = true;
            return report;
          }
          if (!state.signed_in) return report;
          var mine = items.filter(function (item) { return item.user === state.user && !item.refused; });
          return mine.reduce(function (chain, item) {
            return chain.then(function (stop) {
              if (stop) return true;
              var body = new FormData();
              item.entries.forEach(function (pair) {
                if (pair[0] !== "csrfmiddlewaretoken") body.append(pair[0], pair[1]);
              });
              return fetch(item.url, {
                method: "POST",
                body: body,
                credentials: "same-origin",
                headers: { "X-CSRFToken": state.csrf },
              }).then(function (response) {
                if (new URL(response.url).pathname.indexOf(state.urls.login) === 0 ||
                    response.status === 403 || response.status >= 500) {
                  return true; // signed out meanwhile, or the server is unwell: later
                }
                if (sentAt(item, response, state.urls)) {
                  report.sent += 1;
                  report.result = response.url;
                  return dequeue(item.id).then(function () { return false; });
                }
                // Refused (the program changed, an answer no longer valid): kept and
                // shown, never sent again by itself.
                item.refused = true;
                report.refused += 1;
                return enqueue(item).then(function () { return false; });
              }, function () {
                report.offline = true;
                return true;
              });
            });
          }, Promise.resolve(false)).then(function () {
            return queued().then(function (left) {
              report.remaining = left.length;
              return report;
            });
          });
        });
      });
    });
  }

  function tellPages(clients, result) {
    return clients.matchAll({ type: "window" }).then(function (windows) {
      windows.forEach(function (client) {
        client.postMessage({ type: "centra-sent", result: result });
      });
    });
  }

  root.CentraOffline = {
    CACHE_PREFIX: CACHE_PREFIX,
    SYNC_TAG: SYNC_TAG,
    configure: configure,
    queued: queued,
    enqueue: enqueue,
    dequeue: dequeue,
    getMeta: getMeta,
    setMeta: setMeta,
    clearAll: clearAll,
    refreshState: refreshState,
    askDevice: askDevice,
    flush: flush,
    tellPages: tellPages,
  };
})(self);
