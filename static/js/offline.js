// The offline portal in the page: a log or a safety check sent without signal is kept on
// the phone (offline-store.js) and judged at once by the phone's copy of the safety
// rules (safety.js): stop, urgent care, a doctor today, with tap-to-call links. A banner
// says what is waiting; it is sent when the network returns (Background Sync, the
// `online` event, or the next page). Signing out deletes everything kept. Without this
// file, or IndexedDB, the portal works as before, online only.
(function () {
  "use strict";
  var box = document.querySelector("[data-offline]");
  if (!box || !window.indexedDB || !window.CentraOffline || !window.CentraSafety) return;
  var store = window.CentraOffline;
  var safety = window.CentraSafety;
  store.configure({ state: box.dataset.state, device: box.dataset.device });
  var user = Number(box.dataset.user);
  var banner = document.querySelector("[data-offline-banner]");
  var main = document.getElementById("main");
  if (main && banner) main.insertBefore(banner, main.firstChild); // at the top of the page
  var rulesScript = document.getElementById("offline-rules");
  var builtInRules = rulesScript ? JSON.parse(rulesScript.textContent) : null;

  function text(name, values) {
    var message = box.dataset["text" + name.charAt(0).toUpperCase() + name.slice(1)] || "";
    return replace(message, values || {});
  }

  function replace(message, values) {
    return message.replace(/%\((\w+)\)s/g, function (whole, key) {
      return key in values ? String(values[key]) : whole;
    });
  }

  // A copy of one of the include's <template>s, its %(name)s filled in as text (never
  // as markup); a part marked data-if="x" is left out when x is empty.
  function part(id, values) {
    var fragment = document.getElementById(id).content.cloneNode(true);
    fragment.querySelectorAll("[data-if]").forEach(function (element) {
      if (!values[element.dataset.if]) element.remove();
    });
    var walker = document.createTreeWalker(fragment, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      walker.currentNode.nodeValue = replace(walker.currentNode.nodeValue, values);
    }
    fragment.querySelectorAll("[href]").forEach(function (link) {
      link.setAttribute("href", replace(link.getAttribute("href"), values));
    });
    return fragment;
  }

  function newToken() {
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function tokenField(form) {
    return form.querySelector("input[name=session_token], input[name=client_token]");
  }

  function kindOf(form) {
    if (form.querySelector("input[name=session_token]")) return "session";
    if (form.querySelector("input[name=client_token]")) return "log";
    // The safety check: its questions are named by their red-flag codes, its tiers travel with it.
    if (form.querySelector("input[name=tiers]") || form.querySelector("input[name^=red_flag_]")) {
      return "red_flags";
    }
    return null;
  }

  // ---- The banner: what waits, what was refused, what was sent. -------------------

  // What was sent last stays said, whoever sent it (this page or the worker): a later
  // attempt that finds nothing left to send does not take it back.
  var lastSent = null;

  function showBanner(report) {
    if (report && report.sent) lastSent = report;
    report = lastSent;
    return store.queued().then(function (items) {
      var mine = items.filter(function (item) { return item.user === user; });
      var waiting = mine.filter(function (item) { return !item.refused; }).length;
      var refused = mine.length - waiting;
      banner.textContent = "";
      var lines = [];
      if (!navigator.onLine) lines.push(text("offline"));
      if (waiting === 1) lines.push(text("one"));
      if (waiting > 1) lines.push(text("many", { count: waiting }));
      if (refused) lines.push(text("refused", { count: refused }));
      if (report && report.sent) lines.push(text("sent", { count: report.sent }));
      lines.forEach(function (line, index) {
        if (index) banner.appendChild(document.createElement("br"));
        banner.appendChild(document.createTextNode(line));
      });
      if (report && report.sent && report.result) {
        var link = document.createElement("a");
        link.href = report.result;
        link.textContent = text("see");
        banner.appendChild(document.createTextNode(" "));
        banner.appendChild(link);
      }
      banner.hidden = lines.length === 0;
      return mine.length;
    });
  }

  function send() {
    return store.flush().then(showBanner, function () { return showBanner(); });
  }

  // ---- Reading a form as the server would (FormData), and judging it. ------------

  function entriesOf(form) {
    var entries = [];
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string") entries.push([name, value]);
    });
    return entries;
  }

  // The answers grouped by exercise: a session names them `item-<id>-<field>`; the
  // one-exercise form has no prefix and names its exercise in its address.
  function groupsOf(entries, url) {
    var common = {};
    var items = {};
    entries.forEach(function (pair) {
      var match = /^item-(\d+)-(.+)$/.exec(pair[0]);
      var target = common;
      var name = pair[0];
      if (match) {
        items[match[1]] = items[match[1]] || {};
        target = items[match[1]];
        name = match[2];
      }
      (target[name] = target[name] || []).push(pair[1]);
    });
    var single = /\/exercises\/(\d+)\/log\//.exec(url);
    if (!Object.keys(items).length && single) items[single[1]] = common;
    return { common: common, items: items };
  }

  function first(answers, name) {
    return answers[name] ? answers[name][0] : "";
  }

  function newSymptoms(common, answers) {
    var codes = [];
    Object.keys(common).forEach(function (name) {
      // The session's nerve question: which symptoms, after a yes.
      if (/nerves$/.test(name) && first(common, name) === "yes") {
        codes = codes.concat(common[name.replace(/nerves$/, "symptoms")] || []);
      }
    });
    [common, answers].forEach(function (group) {
      Object.keys(group).forEach(function (name) {
        if (name.indexOf("neuro_") === 0 && first(group, name) === "yes" &&
            codes.indexOf(name.slice(6)) === -1) {
          codes.push(name.slice(6));
        }
      });
    });
    return codes;
  }

  var ANSWERED = ["pain", "location", "during", "after"];

  function done(answers) {
    var status = first(answers, "status");
    if (status) return status === "done";
    return ANSWERED.some(function (name) { return first(answers, name) !== ""; });
  }

  // Radio questions left unanswered (skipped exercises aside), or a contradiction.
  function problem(form, groups) {
    var names = {};
    form.querySelectorAll("input[type=radio]").forEach(function (radio) { names[radio.name] = true; });
    var open = Object.keys(names).filter(function (name) {
      if (form.querySelector("input[type=radio][name='" + name + "']:checked")) return false;
      var match = /^item-(\d+)-(.+)$/.exec(name);
      if (!match) return true;
      var answers = groups.items[match[1]] || {};
      return match[2] !== "status" && done(answers);
    });
    if (open.length) return "incomplete";
    var contradicts = Object.keys(groups.items).some(function (id) {
      var answers = groups.items[id];
      if (!done(answers)) return false;
      var pain = Number(first(answers, "pain"));
      var where = first(answers, "location");
      return where !== "" && first(answers, "pain") !== "" && ((pain > 0) === (where === "none"));
    });
    var rules = builtInRules || {};
    if (rules.back_only && ["before", "after"].some(function (name) {
      return partsContradict(moment(groups.common, name), rules);
    })) {
      contradicts = true;
    }
    return contradicts ? "contradiction" : null;
  }

  // A session's symptoms at one moment ("before", "after"): back and leg pain and where
  // the pain reaches, asked once for the whole session; null when the form has none.
  function moment(common, name) {
    var location = first(common, name + "-location");
    if (!location) return null;
    return {
      back: Number(first(common, name + "-back_pain")),
      leg: Number(first(common, name + "-leg_pain")),
      location: location,
      answered: first(common, name + "-back_pain") !== "" && first(common, name + "-leg_pain") !== "",
    };
  }

  // The rule of safety.parts_contradiction: pain scores against where the pain reaches.
  function partsContradict(symptoms, rules) {
    if (!symptoms || !symptoms.answered) return false;
    var any = symptoms.back > 0 || symptoms.leg > 0;
    if (symptoms.location === "none") return any;
    if (!any) return true;
    if (symptoms.leg > 0 && rules.back_only.indexOf(symptoms.location) !== -1) return true;
    return symptoms.leg === 0 && rules.leg_locations.indexOf(symptoms.location) !== -1;
  }

  function judgeLogs(groups, state, rules) {
    var history = (state && state.facts) || {};
    var names = (state && state.items) || {};
    var before = moment(groups.common, "before");
    var after = moment(groups.common, "after");
    return Object.keys(groups.items).filter(function (id) { return done(groups.items[id]); })
      .map(function (id) {
        var answers = groups.items[id];
        var facts = Object.assign({}, history, {
          pain: Number(first(answers, "pain")),
          location: first(answers, "location"),
          during: first(answers, "during"),
          after: first(answers, "after"),
          new_symptoms: newSymptoms(groups.common, answers),
        });
        if (after) {
          // Each exercise of a session is judged with the symptoms after it, against before.
          Object.assign(facts, {
            pain: Math.max(after.back, after.leg),
            location: after.location,
            back_pain: after.back,
            leg_pain: after.leg,
            before_back_pain: before ? before.back : null,
            before_leg_pain: before ? before.leg : null,
            before_location: before ? before.location : null,
          });
        }
        return { item: id, name: names[id] || "", findings: safety.evaluateLog(facts, rules) };
      });
  }

  function judgeRedFlags(entries, state, rules) {
    var yes = entries.filter(function (pair) { return pair[1] === "yes"; })
      .map(function (pair) { return pair[0].replace(/^red_flag_/, ""); })
      .filter(function (code) { return code in rules.tier_of; });
    return safety.redFlagAnswers(yes, Boolean(state && state.risk_history), rules);
  }

  function contactValues(state) {
    var clinic = (state && state.clinic) || {};
    return {
      name: clinic.name || "",
      clinic: clinic.name || "",
      phone: clinic.phone || "",
      phone_link: clinic.phone_link || "",
      number: clinic.emergency_number || "",
      emergency_link: clinic.emergency_link || "",
    };
  }

  // What the phone tells the patient at once, in place of the form.
  function showJudgement(kind, entries, groups, state) {
    var rules = (state && state.rules) || builtInRules;
    var contact = contactValues(state);
    var result = document.createDocumentFragment();
    result.appendChild(part("offline-saved", {}));
    if (kind === "red_flags") {
      var flags = judgeRedFlags(entries, state, rules);
      var kinds = flags.map(function (found) { return found.kind; });
      if (kinds.indexOf("red_flag") !== -1) {
        result.appendChild(part("offline-urgent", contact));
      } else if (kinds.indexOf("red_flag_today") !== -1) {
        result.appendChild(part("offline-doctor", contact));
      }
    } else {
      var logs = judgeLogs(groups, state, rules);
      var urgent = false;
      logs.forEach(function (log) {
        if (safety.stops(log.findings)) {
          result.appendChild(part("offline-stop", Object.assign({}, contact, { name: log.name })));
        }
        urgent = urgent || safety.urgent(log.findings);
      });
      if (urgent) result.appendChild(part("offline-urgent", contact));
    }
    result.appendChild(part("offline-back", {}));
    main.textContent = "";
    main.appendChild(banner);
    main.appendChild(result);
    var heading = main.querySelector("h1");
    if (heading) heading.focus();
    window.scrollTo(0, 0);
  }

  function refuse(form, message) {
    delete form.dataset.sending;
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.removeAttribute("aria-disabled");
    });
    var note = form.querySelector("[data-offline-problem]");
    if (!note) {
      note = document.createElement("p");
      note.className = "form-errors";
      note.setAttribute("role", "alert");
      note.tabIndex = -1;
      note.dataset.offlineProblem = "";
      form.insertBefore(note, form.firstChild);
    }
    note.textContent = message;
    note.focus();
  }

  function keep(form, kind) {
    var field = tokenField(form);
    var entries;
    return store.queued().then(function (items) {
      // A page kept from an earlier visit carries a token already used: a new one, so
      // that this sitting is not taken for that one.
      if (field && items.some(function (item) { return item.id === field.value; })) {
        field.value = newToken();
      }
      entries = entriesOf(form);
      return store.getMeta("state").catch(function () { return null; });
    }).then(function (state) {
      var groups = groupsOf(entries, form.action);
      var trouble = kind === "red_flags" ? null : problem(form, groups);
      if (kind === "red_flags") {
        var names = {};
        form.querySelectorAll("input[type=radio]").forEach(function (radio) { names[radio.name] = true; });
        if (Object.keys(names).some(function (name) {
          return !form.querySelector("input[type=radio][name='" + name + "']:checked");
        })) {
          trouble = "incomplete";
        }
      }
      if (trouble) {
        refuse(form, text(trouble));
        return null;
      }
      var item = {
        id: field ? field.value : newToken(),
        kind: kind,
        url: form.action,
        entries: entries,
        user: user,
        queuedAt: Date.now(),
      };
      return store.enqueue(item).then(function () {
        // The answers are kept now: the form's draft (portal.js) would only bring
        // them back into a second log.
        if (form.dataset.draft) {
          try {
            window.localStorage.removeItem("centra-draft:" + form.dataset.draft + ":" + window.location.pathname);
          } catch (error) { /* no storage: no draft either */ }
        }
        showJudgement(kind, entries, groups, state);
        return showBanner();
      }).then(function () {
        if (navigator.serviceWorker && navigator.serviceWorker.controller) {
          navigator.serviceWorker.ready.then(function (registration) {
            if (registration.sync) return registration.sync.register(store.SYNC_TAG);
            return null;
          }).catch(function () { /* the online event and the next page send it */ });
        }
      });
    });
  }

  document.querySelectorAll("form").forEach(function (form) {
    var kind = kindOf(form);
    if (!kind) return;
    var field = tokenField(form);
    if (field && !navigator.onLine) {
      // Shown from the phone without signal: this page's token may have been sent.
      field.value = newToken();
    }
    form.addEventListener("submit", function (event) {
      if (navigator.onLine) return; // the server takes it as always
      event.preventDefault();
      keep(form, kind).catch(function () {
        refuse(form, text("incomplete"));
      });
    });
  });

  // ---- The handout: kept when opened with signal, opened from the phone without. --

  var FILES = store.CACHE_PREFIX + "files";
  document.querySelectorAll("a[data-offline-keep]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (navigator.onLine) {
        caches.open(FILES).then(function (cache) { return cache.add(link.href); })
          .catch(function () { /* not kept: it opens as usual */ });
        return;
      }
      event.preventDefault();
      caches.open(FILES).then(function (cache) { return cache.match(link.href); })
        .then(function (kept) {
          if (!kept) throw new Error("not kept");
          return kept.blob();
        }).then(function (blob) {
          window.location.href = URL.createObjectURL(blob);
        }).catch(function () {
          banner.textContent = text("noHandout");
          banner.hidden = false;
        });
    });
  });

  // ---- Signing out forgets everything this phone kept. ---------------------------

  document.querySelectorAll("form[data-drafts-clear]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.cleared === "1") return;
      event.preventDefault();
      var tryFirst = navigator.onLine ? send() : Promise.resolve();
      tryFirst.then(function () { return store.queued(); }, function () { return store.queued(); })
        .then(function (items) {
          if (items.length && !window.confirm(text("signout", { count: items.length }))) {
            return false;
          }
          return store.clearAll().then(function () { return true; });
        }, function () {
          return store.clearAll().then(function () { return true; });
        })
        .then(function (go) {
          if (!go) return;
          form.dataset.cleared = "1";
          form.submit();
        });
    });
  });

  // ---- Sending: now, when the network returns, and when the worker has sent. -----

  window.addEventListener("online", send);
  window.addEventListener("offline", function () { showBanner(); });
  if (navigator.serviceWorker) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "centra-sent") showBanner(event.data.result);
    });
  }
  store.queued().then(function (items) {
    if (navigator.onLine && items.length) return send();
    if (navigator.onLine) return store.refreshState().then(function () { return showBanner(); });
    return showBanner();
  }).catch(function () { /* storage blocked: the portal works online as before */ });
})();
