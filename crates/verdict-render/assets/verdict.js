// verdict: personal picks in the page.
//
// A faithful port of verdict-core's decide() and of the sentences that
// change with the weights, so the browser and the server always agree (a
// test runs this file under Node against the Rust engine). Without
// JavaScript the same form is a GET form the server answers.
"use strict";

(function () {
  // ---- numbers, exactly as in Rust ----------------------------------------

  // f64::round rounds half away from zero; Math.round rounds half up.
  function round2(x) {
    var r = (Math.sign(x) * Math.round(Math.abs(x) * 100)) / 100;
    return r === 0 ? 0 : r;
  }

  function num(x) {
    var s = round2(x).toFixed(2).replace(/0+$/, "").replace(/\.$/, "");
    return s === "-0" ? "0" : s;
  }

  function joinWith(items, word) {
    if (items.length === 0) return "";
    if (items.length === 1) return items[0];
    return items.slice(0, -1).join(", ") + " " + word + " " + items[items.length - 1];
  }

  // ---- the model -----------------------------------------------------------

  function scoreOf(topic, id) {
    for (var i = 0; i < topic.scores.length; i++) {
      if (topic.scores[i][0] === id) return topic.scores[i][1];
    }
    return 0;
  }

  function reasonOf(topic, id) {
    for (var i = 0; i < topic.scores.length; i++) {
      if (topic.scores[i][0] === id) return topic.scores[i][2];
    }
    return "";
  }

  // Weights in row order: defaults × profile multiplier, then overrides.
  function resolveWeights(data, profile, overrides) {
    var p = null;
    for (var i = 0; i < data.profiles.length; i++) {
      if (data.profiles[i].slug === profile) p = data.profiles[i];
    }
    return data.defaults.map(function (d) {
      var id = d[0];
      var w = d[1];
      if (p && Object.prototype.hasOwnProperty.call(p.multipliers, id)) w = w * p.multipliers[id];
      w = round2(w);
      if (Object.prototype.hasOwnProperty.call(overrides, id)) w = overrides[id];
      return [id, w];
    });
  }

  function rank(topics, weights) {
    var total = 0;
    weights.forEach(function (w) { total += w[1]; });
    var ranked = topics.map(function (t) {
      var sum = 0;
      weights.forEach(function (w) { sum += w[1] * scoreOf(t, w[0]); });
      var won = 0;
      weights.forEach(function (w) {
        var mine = scoreOf(t, w[0]);
        var all = topics.every(function (o) { return o.slug === t.slug || scoreOf(o, w[0]) < mine; });
        if (all) won += 1;
      });
      return { slug: t.slug, exact: total > 0 ? sum / total : 0, won: won };
    });
    ranked.sort(function (a, b) {
      if (a.exact !== b.exact) return b.exact - a.exact;
      if (a.won !== b.won) return b.won - a.won;
      return a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0;
    });
    return ranked;
  }

  function topicBySlug(data, slug) {
    for (var i = 0; i < data.topics.length; i++) {
      if (data.topics[i].slug === slug) return data.topics[i];
    }
    return null;
  }

  // Slack for comparing sums of weights × scores, as in Rust.
  var EPS = 1e-9;

  function sumOf(topic, weights) {
    var s = 0;
    weights.forEach(function (e) { s += e[1] * scoreOf(topic, e[0]); });
    return s;
  }

  function totalOf(weights) {
    var total = 0;
    weights.forEach(function (w) { total += w[1]; });
    return total;
  }

  function maxWeight(weights) {
    var m = 0;
    weights.forEach(function (w) { m = Math.max(m, w[1]); });
    return m;
  }

  // Whether the scorecard alone makes `target` the pick: first, and ahead
  // by more than one point on the heaviest criterion is worth.
  function isPick(topics, weights, target) {
    var ranked = rank(topics, weights);
    return ranked.length >= 2 && ranked[0].slug === target &&
      (ranked[0].exact - ranked[1].exact) * totalOf(weights) > maxWeight(weights) + EPS;
  }

  function cost(f) {
    return f.from > 0 ? Math.abs(f.to - f.from) / f.from : f.to;
  }

  // verdict-core's flip_to: the smallest change of one weight after which
  // `target` is the pick, found from the interval of weights that work.
  function flipTo(data, weights, target) {
    var topics = data.topics;
    var t = topicBySlug(data, target);
    var aT = sumOf(t, weights);
    var best = null;
    weights.forEach(function (entry, k) {
      var id = entry[0];
      var w = entry[1];
      var othersMax = 0;
      weights.forEach(function (e, i) { if (i !== k) othersMax = Math.max(othersMax, e[1]); });
      var lo = -Infinity;
      var hi = Infinity;
      var empty = false;
      function constrain(m, c) {
        if (m > 0) lo = Math.max(lo, -c / m);
        else if (m < 0) hi = Math.min(hi, -c / m);
        else if (c <= 0) empty = true;
      }
      topics.forEach(function (o) {
        if (o.slug === target) return;
        var b = scoreOf(t, id) - scoreOf(o, id);
        var a0 = aT - sumOf(o, weights) - w * b;
        constrain(b, a0 - othersMax - EPS);
        constrain(b - 1, a0 - EPS);
      });
      if (empty || lo >= hi || (lo < w && w < hi)) return;
      var upper = w > 0 ? Math.min(w * data.max_flip_factor, data.max_weight) : data.max_weight;
      var cands;
      if (lo >= w) {
        var first = Math.floor(lo * 10) / 10 + 0.1;
        cands = [first, first + 0.1, first + 0.2];
      } else {
        var last = Math.ceil(hi * 10) / 10 - 0.1;
        cands = [last, last - 0.1, last - 0.2];
      }
      for (var i = 0; i < cands.length; i++) {
        var to = round2(cands[i]);
        if (!(to >= 0 && to <= upper) || to === w) continue;
        var changed = weights.map(function (e, j) { return [e[0], j === k ? to : e[1]]; });
        if (isPick(topics, changed, target)) {
          var f = { criterion: id, from: w, to: to, winner: target };
          if (best === null || cost(f) < cost(best) - EPS) best = f;
          break;
        }
      }
    });
    return best;
  }

  // The decision under `weights` with no editors' override (personal mode):
  // a pick when the first leads by more than the scores' precision, too
  // close to call otherwise.
  function decide(data, weights) {
    var ranked = rank(data.topics, weights);
    var first = ranked[0];
    var second = ranked[1];
    // Every weight at zero: nothing separates them, and no tip helps.
    var unweighed = totalOf(weights) <= 0;
    var clear = !unweighed && (first.exact - second.exact) * totalOf(weights) > maxWeight(weights) + EPS;
    var margin = round2(first.exact - second.exact);
    var scores = {};
    ranked.forEach(function (x) { scores[x.slug] = round2(x.exact); });
    var result = {
      outcome: clear ? "pick" : "too-close",
      pick: clear ? first.slug : null,
      first: first.slug,
      rival: second.slug,
      ranking: ranked.map(function (x) { return x.slug; }),
      scores: scores,
      margin: margin,
      clear: margin >= data.close_call_margin,
      deciding: null,
      flip: null,
      tips: [],
      unweighed: unweighed,
    };
    if (unweighed) return result;
    if (!clear) {
      [first.slug, second.slug].forEach(function (s) {
        var f = flipTo(data, weights, s);
        if (f !== null) result.tips.push(f);
      });
      return result;
    }
    var p = topicBySlug(data, first.slug);
    var r = topicBySlug(data, second.slug);
    var bestC = 0;
    weights.forEach(function (e) {
      var c = e[1] * (scoreOf(p, e[0]) - scoreOf(r, e[0]));
      if (c > 0 && (result.deciding === null || c > bestC)) {
        result.deciding = e[0];
        bestC = c;
      }
    });
    data.topics.forEach(function (t) {
      if (t.slug === first.slug) return;
      var f = flipTo(data, weights, t.slug);
      if (f !== null && (result.flip === null || cost(result.flip) > cost(f) + EPS)) result.flip = f;
    });
    return result;
  }

  function criterion(data, id) {
    for (var i = 0; i < data.criteria.length; i++) {
      if (data.criteria[i].id === id) return data.criteria[i];
    }
    return { id: id, label: id, phrase: id };
  }

  function lowerHas(s, needle) { return s.indexOf(needle) !== -1; }

  // verdict-core's text::strength: the part of a reason that speaks for the
  // side, or null when strength and weakness are mixed in one phrase.
  function strength(reason) {
    var turns = [", but ", "; ", ", though ", ", although ", ", while ", ", yet ", ", whereas ", ", except "];
    var contrast = [" but ", "though", "however", " while ", " yet ", "whereas", "despite", " except ", "ageing", "thinner", "weaker", "slower", " lacks", " behind", " limited"];
    var body = reason.trim().replace(/\.+$/, "");
    var cut = body;
    var at = -1;
    turns.forEach(function (t) {
      var i = body.indexOf(t);
      if (i !== -1 && (at === -1 || i < at)) at = i;
    });
    if (at !== -1) cut = body.slice(0, at);
    var lower = " " + cut.toLowerCase() + " ";
    if (cut === "" || contrast.some(function (c) { return lowerHas(lower, c); }) || lower.replace(/^\s+/, "").indexOf("although") === 0) {
      return null;
    }
    return cut + ".";
  }

  function verb(topic, singular, plural) { return topic.plural ? plural : singular; }
  function pronoun(topic) { return topic.plural ? "they" : "it"; }

  // The heaviest criterion as a phrase; the first in row order among equals.
  function heaviestPhrase(data, weights) {
    var best = null;
    weights.forEach(function (w) { if (best === null || w[1] > best[1]) best = w; });
    return best === null ? "the heaviest criterion" : criterion(data, best[0]).phrase;
  }

  // The personal bottom line, as verdict-core's text::compose writes it.
  function bottomLine(data, d, weights) {
    var firstT = topicBySlug(data, d.first);
    var rivalT = topicBySlug(data, d.rival);
    if (d.unweighed) {
      return "With your weights it is too close to call: every criterion " +
        joinWith(data.topics.map(function (t) { return t.name; }), "and") +
        " are scored on has a weight of zero, so nothing separates them.";
    }
    if (d.outcome === "too-close") {
      var a = num(d.scores[d.first]);
      var b = num(d.scores[d.rival]);
      var scores = a === b
        ? firstT.name + " and " + rivalT.name + " both score " + a + " out of 10"
        : firstT.name + " " + verb(firstT, "scores", "score") + " " + a + " out of 10 and " + rivalT.name + " " + b;
      return "With your weights it is too close to call: " + scores + ", a gap no bigger than one point on " +
        heaviestPhrase(data, weights) + " is worth, so we do not pick either.";
    }
    var runnerUp = data.topics.length > 2 ? ", the runner-up" : "";
    var scored = pronoun(firstT) + " " + verb(firstT, "scores", "score") + " " + num(d.scores[d.pick]) +
      " out of 10 against " + num(d.scores[d.rival]) + " for " + rivalT.name + runnerUp;
    var s = d.clear
      ? "With your weights, " + firstT.name + " comes out ahead: " + scored + ", a clear margin."
      : "With your weights, " + firstT.name + " comes out ahead by a narrow margin: " + scored + ".";
    if (d.deciding !== null) {
      var q = strength(reasonOf(firstT, d.deciding));
      s += " " + criterion(data, d.deciding).label + " decided it, " + scoreOf(firstT, d.deciding) +
        " against " + scoreOf(rivalT, d.deciding) + (q === null ? "." : ". " + q);
    }
    return s;
  }

  function change(data, f) {
    var phrase = criterion(data, f.criterion).phrase;
    if (f.to === 0) return "if you ignored " + phrase;
    if (f.to > f.from) {
      var factor = f.from > 0 ? " (" + num(f.to / f.from) + "× as much)" : "";
      return "if you weighed " + phrase + " at " + num(f.to) + " instead of " + num(f.from) + factor;
    }
    return "if " + phrase + " counted for " + num(f.to) + " instead of " + num(f.from);
  }

  function flipSentence(data, d) {
    if (d.unweighed) {
      return "Give at least one criterion a weight above zero; the rows below show where each one leads.";
    }
    if (d.outcome === "too-close") {
      if (d.tips.length === 0) {
        return "No single weight change within reason separates them, so decide on the rows that matter most to you.";
      }
      return d.tips.map(function (f) {
        return topicBySlug(data, f.winner).name + " would be the pick " + change(data, f) + ".";
      }).join(" ");
    }
    if (d.flip === null) {
      return "Nothing reasonable flips it: no single criterion, weighed anywhere from zero to four times as much as now, changes the pick.";
    }
    return topicBySlug(data, d.flip.winner).name + " would win " + change(data, d.flip) + ".";
  }

  /// Everything the page shows that depends on the weights.
  function evaluate(data, profile, overrides) {
    var weights = resolveWeights(data, profile, overrides);
    var d = decide(data, weights);
    var pick = d.pick === null ? null : topicBySlug(data, d.pick);
    return {
      weights: weights,
      outcome: d.outcome,
      pick: d.pick,
      badge: pick === null ? "Too close to call" : "Your pick",
      name: pick === null ? topicBySlug(data, d.first).name + " and " + topicBySlug(data, d.rival).name : pick.name,
      url: pick === null ? null : pick.url,
      scores: d.scores,
      margin: d.margin,
      confidence: pick === null ? "no pick" : d.clear ? "clear pick" : "narrow pick",
      deciding: d.deciding,
      decidingLabel: d.deciding === null ? null : criterion(data, d.deciding).label,
      pickScores: num(d.scores[d.first]) + " vs " + num(d.scores[d.rival]) + " out of 10",
      bottomLine: bottomLine(data, d, weights),
      flipHeading: pick === null ? "What would tip it?" : "What would flip it?",
      flip: flipSentence(data, d),
    };
  }

  // The same canonical form the server redirects to: profile first, then
  // overrides by criterion id.
  function queryString(profile, overrides) {
    var parts = [];
    if (profile) parts.push("profile=" + encodeURIComponent(profile));
    Object.keys(overrides).sort().forEach(function (id) {
      parts.push("w." + encodeURIComponent(id) + "=" + num(overrides[id]));
    });
    return parts.length ? "?" + parts.join("&") : "";
  }

  var api = { round2: round2, num: num, resolveWeights: resolveWeights, evaluate: evaluate, queryString: queryString, joinWith: joinWith };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = api;
    return;
  }

  // ---- the page ------------------------------------------------------------

  function byId(id) { return document.getElementById(id); }

  function init() {
    var dataEl = byId("verdict-data");
    var form = byId("personalise");
    if (!dataEl || !form) return;
    var data = JSON.parse(dataEl.textContent);
    var profileSelect = byId("profile");
    var inputs = Array.prototype.slice.call(form.querySelectorAll("input[name^='w.']"));

    // The server-rendered state, restored when the reader goes back to defaults.
    var ids = ["pick-badge", "pick-name", "pick-confidence", "pick-scores", "pick-deciding", "bottom-line", "flip-heading", "flip-text", "pick-note"];
    var initial = {};
    ids.forEach(function (id) { var el = byId(id); if (el) initial[id] = { text: el.textContent, hidden: el.hidden }; });
    var initialPick = document.querySelector(".side.is-pick");
    var initialPickSlug = initialPick ? initialPick.getAttribute("data-side") : null;
    var initialHref = byId("pick-link").getAttribute("href");
    var initialClass = byId("pick").className;
    var wrapInit = byId("pick-deciding-wrap");
    var initialWrapHidden = wrapInit ? wrapInit.hidden : true;
    var short = byId("short-answer");

    // Overrides: weights the reader set by hand, relative to the profile.
    var params = new URLSearchParams(window.location.search);
    var profile = params.get("profile") || "";
    var overrides = {};
    params.forEach(function (value, key) {
      if (key.indexOf("w.") === 0) {
        var v = parseFloat(value);
        if (!isNaN(v)) overrides[key.slice(2)] = v;
      }
    });
    // A page the server rendered with personal weights has no default state
    // to restore in place; going back to defaults loads the plain page.
    var loadedPersonal = profile !== "" || Object.keys(overrides).length > 0;

    function setText(id, text) { var el = byId(id); if (el) el.textContent = text; }

    function markPick(slug, badge) {
      document.querySelectorAll(".side").forEach(function (side) {
        var is = side.getAttribute("data-side") === slug;
        side.classList.toggle("is-pick", is);
        var tag = side.querySelector(".pick-tag");
        if (tag) { tag.hidden = !is; tag.textContent = badge; }
      });
    }

    function render() {
      var isDefault = !profile && Object.keys(overrides).length === 0;
      var result = evaluate(data, profile, overrides);
      var derived = resolveWeights(data, profile, {});
      inputs.forEach(function (input) {
        var id = input.name.slice(2);
        if (!Object.prototype.hasOwnProperty.call(overrides, id)) {
          derived.forEach(function (w) { if (w[0] === id) input.value = num(w[1]); });
        }
      });
      result.weights.forEach(function (w) {
        var cell = document.querySelector("[data-weight='" + w[0] + "']");
        if (cell) cell.textContent = "×" + num(w[1]);
      });
      data.topics.forEach(function (t) {
        var cell = document.querySelector("[data-total='" + t.slug + "']");
        if (cell) {
          cell.textContent = num(result.scores[t.slug]);
          cell.classList.toggle("win", t.slug === result.pick);
        }
      });
      var url = data.path + queryString(profile, overrides);
      if (window.location.pathname + window.location.search !== url) {
        window.history.replaceState(null, "", url);
      }
      byId("reset").hidden = isDefault;
      if (short) short.hidden = !isDefault;
      if (isDefault && loadedPersonal) {
        window.location.assign(data.path);
        return;
      }
      if (isDefault) {
        ids.forEach(function (id) {
          var el = byId(id);
          if (el && initial[id]) { el.textContent = initial[id].text; el.hidden = initial[id].hidden; }
        });
        setHref(initialHref);
        byId("pick").className = initialClass;
        if (wrapInit) wrapInit.hidden = initialWrapHidden;
        markPick(initialPickSlug, initial["pick-badge"].text);
        return;
      }
      setText("pick-badge", result.badge);
      setText("pick-name", result.name);
      setHref(result.url);
      setText("pick-confidence", result.confidence);
      setText("pick-scores", result.pickScores);
      var wrapEl = byId("pick-deciding-wrap");
      if (wrapEl) wrapEl.hidden = result.decidingLabel === null;
      setText("pick-deciding", result.decidingLabel === null ? "" : result.decidingLabel);
      setText("bottom-line", result.bottomLine);
      setText("flip-heading", result.flipHeading);
      setText("flip-text", result.flip);
      byId("pick").className = "pick outcome-" + result.outcome + (result.confidence === "clear pick" ? "" : " close");
      var note = byId("pick-note");
      if (data.editorial_pick) {
        note.hidden = false;
        note.textContent = "For most readers our editors pick " + topicBySlug(data, data.editorial_pick).name + ".";
      } else {
        note.hidden = true;
      }
      markPick(result.pick, "Your pick");
    }

    function setHref(url) {
      var el = byId("pick-link");
      if (url) el.setAttribute("href", url);
      else el.removeAttribute("href");
      // What the link says after a name like "Go" belongs to the name the
      // server drew it for.
      var aside = byId("pick-aside");
      if (aside) aside.hidden = url !== initialHref;
    }

    // The pick follows every change, so the submit button is only for the
    // no-JavaScript form.
    var apply = byId("apply");
    if (apply) apply.hidden = true;

    profileSelect.addEventListener("change", function () {
      profile = profileSelect.value;
      overrides = {};
      render();
    });
    inputs.forEach(function (input) {
      input.addEventListener("input", function () {
        var id = input.name.slice(2);
        var v = parseFloat(input.value);
        if (isNaN(v)) return;
        v = Math.min(data.max_weight, Math.max(0, v));
        if (String(v) !== input.value) input.value = num(v);
        var derived = resolveWeights(data, profile, {});
        var base = null;
        derived.forEach(function (w) { if (w[0] === id) base = w[1]; });
        if (base !== null && round2(v) === base) delete overrides[id];
        else overrides[id] = round2(v);
        render();
      });
    });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      render();
    });
    byId("reset").addEventListener("click", function (ev) {
      ev.preventDefault();
      profile = "";
      overrides = {};
      profileSelect.value = "";
      render();
    });
  }

  // ---- reader votes ----------------------------------------------------------

  // Without JavaScript the vote form posts and the server redirects back with
  // a thank-you. With it, the vote goes to the JSON API and the tally updates
  // in place. Text from the server is only ever set as textContent.
  function initVotes() {
    var section = byId("votes");
    var form = byId("vote-form");
    if (!section || !form || !window.fetch || !window.FormData) return;
    var error = byId("vote-error");
    var button = form.querySelector("button[type='submit']");

    function fail(message) {
      error.textContent = message.charAt(0).toUpperCase() + message.slice(1);
      error.hidden = false;
      button.disabled = false;
    }

    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var fields = new FormData(form);
      if (fields.get("website")) return; // the honeypot: people never fill it
      var body = { choice: fields.get("choice"), token: fields.get("csrf") };
      var reason = String(fields.get("reason") || "").trim();
      if (reason) body.reason = reason;
      var pick = fields.get("would_pick");
      if (pick) body.would_pick = pick;
      button.disabled = true;
      error.hidden = true;
      fetch(section.getAttribute("data-api"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(body),
      })
        .then(function (res) {
          return res.json().then(function (data) { return { ok: res.ok, data: data }; });
        })
        .then(function (r) {
          if (!r.ok) {
            fail(r.data && r.data.error ? r.data.error.message : "your vote could not be counted");
            return;
          }
          var t = r.data.tally;
          byId("votes-tally").textContent = t.summary;
          var mark = byId("votes-contested");
          if (mark) mark.hidden = !t.contested;
          section.classList.toggle("is-contested", t.contested);
          byId("votes-thanks").hidden = false;
          form.hidden = true;
        })
        .catch(function () { fail("your vote could not be sent; please try again"); });
    });
  }

  // The category page's "Compare two" form: go straight to the comparison
  // at its canonical address (slugs in sorted order), which also works on
  // the static site, where no server answers `/compare?a=…&b=…`.
  function initCompareForm() {
    var form = document.querySelector("form.compare-form");
    if (!form) return;
    var a = form.elements.namedItem("a"), b = form.elements.namedItem("b");
    var clear = function () { b.setCustomValidity(""); };
    a.addEventListener("change", clear);
    b.addEventListener("change", clear);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (a.value === b.value) {
        b.setCustomValidity("Choose a different topic from the first one.");
        b.reportValidity();
        return;
      }
      var key = [a.value, b.value].sort().join("-vs-");
      var pairs = byId("compare-pairs");
      if (pairs && JSON.parse(pairs.textContent).indexOf(key) < 0) {
        var name = function (sel) { return sel.options[sel.selectedIndex].text; };
        b.setCustomValidity(name(a) + " and " + name(b) + " do different jobs, so we publish no comparison of them. Open each topic to see what it is for.");
        b.reportValidity();
        return;
      }
      var base = form.getAttribute("action").replace(/\/+$/, "");
      location.assign(base + "/" + key);
    });
  }

  function start() {
    init();
    initVotes();
    initCompareForm();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
