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
    if (total <= 0) return [];
    var ranked = topics.map(function (t) {
      var sum = 0;
      weights.forEach(function (w) { sum += w[1] * scoreOf(t, w[0]); });
      var won = 0;
      weights.forEach(function (w) {
        var mine = scoreOf(t, w[0]);
        var all = topics.every(function (o) { return o.slug === t.slug || scoreOf(o, w[0]) < mine; });
        if (all) won += 1;
      });
      return { slug: t.slug, exact: sum / total, won: won };
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

  function findFlip(data, weights, winner) {
    var topics = data.topics;
    var w0 = topicBySlug(data, winner);
    var best = null;
    weights.forEach(function (entry) {
      var id = entry[0];
      var w = entry[1];
      topics.forEach(function (c) {
        if (c.slug === winner) return;
        var d = 0;
        weights.forEach(function (e) { d += e[1] * (scoreOf(w0, e[0]) - scoreOf(c, e[0])); });
        var dk = scoreOf(w0, id) - scoreOf(c, id);
        if (dk === 0) return;
        var tie = w - d / dk;
        var to = dk < 0 ? Math.floor(tie * 10) / 10 + 0.1 : Math.ceil(tie * 10) / 10 - 0.1;
        to = round2(to);
        var upper = Math.min(w * data.max_flip_factor, data.max_weight);
        if (to < 0 || to > upper || (w === 0 && to > data.max_weight)) return;
        var changed = weights.map(function (e) { return [e[0], e[0] === id ? to : e[1]]; });
        var top = rank(topics, changed);
        if (top.length === 0 || top[0].slug === winner) return;
        var cost = w > 0 ? Math.abs(to - w) / w : to;
        if (best === null || cost < best.cost - 1e-9) {
          best = { cost: cost, criterion: id, from: w, to: to, winner: top[0].slug };
        }
      });
    });
    return best;
  }

  // The decision under `weights` with no editors' override (personal mode).
  function decide(data, weights) {
    var ranked = rank(data.topics, weights);
    if (ranked.length === 0) return null;
    var pick = ranked[0].slug;
    var rival = ranked[1].slug;
    var margin = round2(ranked[0].exact - ranked[1].exact);
    var p = topicBySlug(data, pick);
    var r = topicBySlug(data, rival);
    var deciding = null;
    var bestC = 0;
    weights.forEach(function (e) {
      var c = e[1] * (scoreOf(p, e[0]) - scoreOf(r, e[0]));
      if (c > 0 && (deciding === null || c > bestC)) {
        deciding = e[0];
        bestC = c;
      }
    });
    var scores = {};
    ranked.forEach(function (x) { scores[x.slug] = round2(x.exact); });
    return {
      pick: pick,
      rival: rival,
      ranking: ranked.map(function (x) { return x.slug; }),
      scores: scores,
      margin: margin,
      clear: margin >= data.close_call_margin,
      deciding: deciding,
      flip: findFlip(data, weights, pick),
    };
  }

  function criterion(data, id) {
    for (var i = 0; i < data.criteria.length; i++) {
      if (data.criteria[i].id === id) return data.criteria[i];
    }
    return { id: id, label: id, phrase: id };
  }

  // The personal bottom line, as verdict-core's text::compose writes it.
  function bottomLine(data, d) {
    var pick = topicBySlug(data, d.pick).name;
    var rivalName = topicBySlug(data, d.rival).name;
    var runnerUp = data.topics.length > 2 ? ", the runner-up" : "";
    var s = d.clear
      ? "With your weights, " + pick + " comes out ahead: it scores " + num(d.scores[d.pick]) +
        " out of 10 against " + num(d.scores[d.rival]) + " for " + rivalName + runnerUp + ", a clear margin."
      : "With your weights, " + pick + " comes out ahead, but it is a close call: it scores " +
        num(d.scores[d.pick]) + " out of 10 against " + num(d.scores[d.rival]) + " for " + rivalName + runnerUp + ".";
    if (d.deciding !== null) {
      var p = topicBySlug(data, d.pick);
      var r = topicBySlug(data, d.rival);
      s += " " + criterion(data, d.deciding).label + " decided it, " + scoreOf(p, d.deciding) +
        " against " + scoreOf(r, d.deciding) + ". " + reasonOf(p, d.deciding);
    }
    return s;
  }

  function flipSentence(data, d) {
    var f = d.flip;
    if (f === null) {
      return "Nothing reasonable flips it: no single criterion, weighed anywhere from zero to four times as much as now, changes the pick.";
    }
    var phrase = criterion(data, f.criterion).phrase;
    var who = topicBySlug(data, f.winner).name;
    if (f.to === 0) return who + " would win if you ignored " + phrase + ".";
    if (f.to > f.from) {
      var factor = f.from > 0 ? " (" + num(f.to / f.from) + "× as much)" : "";
      return who + " would win if you weighed " + phrase + " at " + num(f.to) + " instead of " + num(f.from) + factor + ".";
    }
    return who + " would win if " + phrase + " counted for " + num(f.to) + " instead of " + num(f.from) + ".";
  }

  /// Everything the page shows that depends on the weights.
  function evaluate(data, profile, overrides) {
    var weights = resolveWeights(data, profile, overrides);
    var d = decide(data, weights);
    if (d === null) return null;
    return {
      weights: weights,
      pick: d.pick,
      scores: d.scores,
      margin: d.margin,
      confidence: d.clear ? "clear pick" : "close call",
      deciding: d.deciding,
      decidingLabel: d.deciding === null ? null : criterion(data, d.deciding).label,
      pickScores: num(d.scores[d.pick]) + " vs " + num(d.scores[d.rival]) + " out of 10",
      bottomLine: bottomLine(data, d),
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
    var ids = ["pick-badge", "pick-name", "pick-confidence", "pick-scores", "pick-deciding", "bottom-line", "flip-text", "pick-note"];
    var initial = {};
    ids.forEach(function (id) { var el = byId(id); if (el) initial[id] = { text: el.textContent, hidden: el.hidden }; });
    var initialPick = document.querySelector(".side.is-pick");
    var initialPickSlug = initialPick ? initialPick.getAttribute("data-side") : null;
    var initialHref = byId("pick-name").getAttribute("href");
    var initialClose = byId("pick").classList.contains("close");
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
      if (result === null) {
        setText("pick-badge", "Your pick");
        setText("pick-name", "No pick");
        setText("pick-scores", "");
        setText("bottom-line", "Every weight is zero, so nothing can decide between these topics. Give at least one criterion a weight.");
        setText("flip-text", "");
        return;
      }
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
        byId("pick-name").setAttribute("href", initialHref);
        byId("pick").classList.toggle("close", initialClose);
        var wrap = byId("pick-deciding-wrap");
        if (wrap) wrap.hidden = false;
        markPick(initialPickSlug, initial["pick-badge"].text);
        return;
      }
      var pickTopic = topicBySlug(data, result.pick);
      setText("pick-badge", "Your pick");
      setText("pick-name", pickTopic.name);
      byId("pick-name").setAttribute("href", pickTopic.url);
      setText("pick-confidence", result.confidence);
      setText("pick-scores", result.pickScores);
      var wrapEl = byId("pick-deciding-wrap");
      if (wrapEl) wrapEl.hidden = result.decidingLabel === null;
      if (result.decidingLabel !== null) setText("pick-deciding", result.decidingLabel);
      setText("bottom-line", result.bottomLine);
      setText("flip-text", result.flip);
      byId("pick").classList.toggle("close", result.confidence === "close call");
      var note = byId("pick-note");
      if (data.editorial_pick) {
        note.hidden = false;
        note.textContent = "For most readers our editors pick " + topicBySlug(data, data.editorial_pick).name + ".";
      } else {
        note.hidden = true;
      }
      markPick(result.pick, "Your pick");
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
      var body = { choice: fields.get("choice") };
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
      var base = form.getAttribute("action").replace(/\/+$/, "");
      location.assign(base + "/" + [a.value, b.value].sort().join("-vs-"));
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
