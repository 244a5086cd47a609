// The safety rules of prescriptions/safety.py, in JS, so that a phone without signal
// still tells the patient at once to stop or to seek urgent care. The server judges
// every log again when it arrives, and its judgement is the one stored and alerted on.
//
// `facts` has the fields of safety.LogFacts (the answers, and the history the server
// gave while online: held, persisting, starting_location, previous_location,
// recent_levels, pain_rise_threshold, and in a session back_pain, leg_pain, the before_*
// answers and the recent back and leg levels); `rules` the tables of portal/offline.py
// `rule_constants`. Each finding is {rule, kind, stop, urgent, alert, further_out}, as
// in safety.Finding without its reason (the server writes those).
// tests/browser/test_offline_rules.py runs this file against the Python rules' table.
(function (root) {
  "use strict";

  function rank(rules, code) {
    return rules.location_rank[code];
  }

  function reference(facts, rules) {
    var best = null;
    (facts.held || []).forEach(function (code) {
      var candidate = [rank(rules, code), 0, code, "held"];
      if (!best || candidate[0] < best[0]) best = candidate;
    });
    if (facts.persisting) {
      var persisting = [rank(rules, facts.persisting), 1, facts.persisting, "persisting"];
      if (!best || persisting[0] < best[0]) best = persisting;
    }
    if (best) return { location: best[2], source: best[3] };
    if (facts.starting_location) return { location: facts.starting_location, source: "starting_location" };
    if (facts.previous_location) return { location: facts.previous_location, source: "previous_log" };
    return null;
  }

  function known(value) {
    return value !== null && value !== undefined;
  }

  function judge(facts, rules) {
    var ref = reference(facts, rules);
    var isRecurrence = ref !== null && ref.location === "none" &&
      rules.recurrence_locations.indexOf(facts.location) !== -1;
    var furtherOut = ref !== null && rank(rules, facts.location) > rank(rules, ref.location) &&
      !isRecurrence;
    var closerIn = ref !== null && rank(rules, facts.location) < rank(rules, ref.location);
    // Within a session: after against before, like with like.
    var before = facts.before_location;
    var sessionFurtherOut = Boolean(before) &&
      !(before === "none" && rules.recurrence_locations.indexOf(facts.location) !== -1) &&
      rank(rules, facts.location) > rank(rules, before);
    var sessionCloserIn = Boolean(before) && rank(rules, facts.location) < rank(rules, before);
    var shiftedToBack = [facts.back_pain, facts.leg_pain, facts.before_back_pain, facts.before_leg_pain]
      .every(known) && !sessionFurtherOut &&
      facts.leg_pain < facts.before_leg_pain && facts.back_pain > facts.before_back_pain;
    var levels = facts.recent_levels || [];
    var level = levels.length ? Math.min.apply(null, levels) : null;
    return {
      furtherOut: furtherOut,
      closerIn: closerIn,
      isRecurrence: isRecurrence,
      sessionFurtherOut: sessionFurtherOut,
      sessionCloserIn: sessionCloserIn,
      centralizing: closerIn || sessionCloserIn || shiftedToBack,
      level: level,
    };
  }

  function lowest(values) {
    return values && values.length ? Math.min.apply(null, values) : null;
  }

  function finding(rule, kind, options) {
    return {
      rule: rule,
      kind: kind,
      stop: Boolean(options.stop),
      urgent: Boolean(options.urgent),
      alert: options.alert !== false,
      further_out: Boolean(options.further_out),
    };
  }

  // The log rules, in the order safety.LOG_RULES shows their findings.
  var LOG_RULES = [
    function peripheralization(facts, seen) {
      if (!(seen.furtherOut || facts.during === "peripheralize" || seen.sessionFurtherOut)) return null;
      return finding("peripheralization", "peripheralization", { stop: true, further_out: seen.furtherOut });
    },
    function recurrence(facts, seen) {
      return seen.isRecurrence ? finding("recurrence", "recurrence", {}) : null;
    },
    function worseAfterwards(facts) {
      return facts.after === "worse" ? finding("worse_afterwards", "worse", { stop: true }) : null;
    },
    function newNerveSymptoms(facts, seen, rules) {
      var symptoms = facts.new_symptoms || [];
      if (!symptoms.length) return null;
      var urgent = symptoms.some(function (code) {
        return rules.urgent_neuro_symptoms.indexOf(code) !== -1;
      });
      return finding("new_nerve_symptoms", "neurological", { stop: true, urgent: urgent });
    },
    function painRise(facts, seen) {
      if (seen.centralizing || seen.isRecurrence) return null;
      var threshold = known(facts.pain_rise_threshold) ? facts.pain_rise_threshold : 3;
      if (!known(facts.back_pain) || !known(facts.leg_pain)) {
        if (seen.level === null || facts.pain < seen.level + threshold) return null;
        return finding("pain_rise", "pain_rise", {});
      }
      // A session: back with back, leg with leg; after against before, then the recent level.
      var rose = [
        [facts.back_pain, facts.before_back_pain, facts.recent_back_levels],
        [facts.leg_pain, facts.before_leg_pain, facts.recent_leg_levels],
      ].some(function (part) {
        var now = part[0];
        var before = part[1];
        var level = lowest(part[2]);
        if (known(before) && now >= before + threshold) return true;
        return level !== null && now >= level + threshold;
      });
      return rose ? finding("pain_rise", "pain_rise", {}) : null;
    },
    function centralization(facts, seen) {
      if (!seen.centralizing || seen.furtherOut || seen.sessionFurtherOut) return null;
      return finding("centralization", "centralization", { alert: false });
    },
  ];

  function evaluateLog(facts, rules) {
    var seen = judge(facts, rules);
    return LOG_RULES.map(function (rule) { return rule(facts, seen, rules); })
      .filter(function (found) { return found !== null; });
  }

  function redFlagAnswers(answeredYes, riskHistory, rules) {
    var tiers = answeredYes.map(function (code) { return rules.tier_of[code]; });
    return rules.tiers.filter(function (tier) { return tiers.indexOf(tier) !== -1; })
      .map(function (tier) {
        if (tier === "emergency") {
          return finding("red_flag_answers", "red_flag", { stop: true, urgent: true });
        }
        return finding("red_flag_answers", "red_flag_today", { urgent: riskHistory });
      });
  }

  function stops(findings) {
    return findings.some(function (found) { return found.stop; });
  }

  function urgent(findings) {
    return findings.some(function (found) { return found.urgent; });
  }

  root.CentraSafety = {
    evaluateLog: evaluateLog,
    redFlagAnswers: redFlagAnswers,
    stops: stops,
    urgent: urgent,
  };
})(self);
