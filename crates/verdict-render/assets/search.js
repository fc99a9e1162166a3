// verdict: search for the static site, which has no server to ask.
// Loads the compact index written by `verdict build` and ranks it in the
// page the way the server's search does (`verdict_core::search`: exact,
// prefix, word, typo, then tagline matches); the server-rendered search
// page works without this script.
"use strict";

(function () {
  // verdict_core::search's ABBREVIATIONS.
  var ABBREVIATIONS = {
    mgmt: "management", mgt: "management", mgr: "manager", eng: "engineering",
    engr: "engineer", dev: "developer", devs: "developers", arch: "architecture",
    db: "database", dbs: "databases", lang: "language", prog: "programming",
    fw: "framework", sec: "security", ml: "machine learning", pm: "product management",
    ci: "continuous integration", cd: "continuous delivery"
  };

  // verdict_core::search::normalize. The index's keys are already in this form.
  function normalize(s) {
    return s.toLowerCase().split(/[^\p{Alphabetic}\p{N}+#]+/u).filter(Boolean).map(function (w) {
      return Object.prototype.hasOwnProperty.call(ABBREVIATIONS, w) ? ABBREVIATIONS[w] : w;
    }).join(" ");
  }

  // Length in UTF-8 bytes, which is what Rust's `str::len` counts.
  function bytes(s) {
    return encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, "x").length;
  }

  // strsim::damerau_levenshtein (unrestricted), over arrays of code points.
  var grid = new Int32Array(0), lastAscii = new Int32Array(128), lastOther = new Map();
  function damerau(a, b) {
    var n = a.length, m = b.length;
    if (!n) return m;
    if (!m) return n;
    var w = n + 2, max = n + m, size = (n + 2) * (m + 2);
    if (grid.length < size) grid = new Int32Array(size * 2);
    var d = grid;
    lastAscii.fill(0);
    lastOther.clear();
    d[0] = max;
    for (var i = 0; i <= n; i++) { d[i + 1] = max; d[w + i + 1] = i; }
    for (var j = 0; j <= m; j++) { d[(j + 1) * w] = max; d[(j + 1) * w + 1] = j; }
    for (i = 1; i <= n; i++) {
      var db = 0, ai = a[i - 1];
      for (j = 1; j <= m; j++) {
        var bj = b[j - 1];
        var k = bj < 128 ? lastAscii[bj] : lastOther.get(bj) || 0;
        var best = d[j * w + i] + (ai === bj ? 0 : 1);
        var ins = d[(j + 1) * w + i] + 1;
        if (ins < best) best = ins;
        var del = d[j * w + i + 1] + 1;
        if (del < best) best = del;
        var trans = d[db * w + k] + (i - k - 1) + 1 + (j - db - 1);
        if (trans < best) best = trans;
        if (ai === bj) db = j;
        d[(j + 1) * w + i + 1] = best;
      }
      if (ai < 128) lastAscii[ai] = i;
      else lastOther.set(ai, i);
    }
    return d[(m + 1) * w + n + 1];
  }

  // The distance if it is at most `limit`, else Infinity. It is never less
  // than the difference in length, which spares most computations.
  function within(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return Infinity;
    var t = damerau(a, b);
    return t <= limit ? t : Infinity;
  }

  function maxTypos(chars) {
    return chars <= 3 ? 0 : chars <= 5 ? 1 : chars <= 10 ? 2 : 3;
  }

  // A string with what scoring needs of it, computed once.
  function term(s) {
    return { s: s, bytes: bytes(s), chars: Array.from(s, function (c) { return c.codePointAt(0); }) };
  }

  function prepare(t) {
    if (!t.terms) {
      t.terms = t.keys.map(function (k) {
        var key = term(k);
        key.words = k.split(" ").map(term);
        return key;
      });
    }
    return t.terms;
  }

  // verdict_core::search's score_topic: [kind, rank], kind 0 (exact) to 4
  // (tagline), higher rank better; null for no match.
  function score(t, q) {
    var best = null, limit = maxTypos(q.chars.length), oneWord = q.s.indexOf(" ") === -1;
    function offer(kind, rank) {
      if (!best || kind < best[0] || (kind === best[0] && rank > best[1])) best = [kind, rank];
    }
    prepare(t).forEach(function (key) {
      if (key.s === q.s) offer(0, 1000);
      else if (q.bytes >= 2 && key.s.indexOf(q.s) === 0) offer(1, 800 - Math.min(key.bytes, 200));
      else if (q.bytes >= 3 && key.words.some(function (w) { return w.s.indexOf(q.s) === 0; })) offer(2, 600 - Math.min(key.bytes, 200));
      else {
        var whole = within(key.chars, q.chars, limit), word = Infinity;
        if (oneWord) {
          key.words.forEach(function (w) { if (w.bytes >= 4) word = Math.min(word, within(w.chars, q.chars, limit)); });
        }
        var typos = Math.min(whole, word);
        if (typos <= limit) offer(3, 400 - 50 * typos - (whole > word ? 25 : 0));
      }
    });
    if (!best && q.bytes >= 3) {
      if (!t.text) t.text = normalize(t.tagline).split(" ");
      if (q.s.split(" ").every(function (w) { return t.text.indexOf(w) !== -1; })) offer(4, 100);
    }
    return best;
  }

  // verdict_core::search::search: best first, then in the index's (slug) order.
  function search(index, query, limit) {
    var q = normalize(query);
    if (!q) return [];
    q = term(q);
    var hits = [];
    index.topics.forEach(function (t, i) {
      var s = score(t, q);
      if (s) hits.push({ topic: t, kind: s[0], rank: s[1], order: i });
    });
    hits.sort(function (x, y) { return x.kind - y.kind || y.rank - x.rank || x.order - y.order; });
    return hits.slice(0, limit).map(function (h) { return h.topic; });
  }

  function init() {
    var form = document.querySelector("form.big-search");
    var input = document.getElementById("q");
    var out = document.getElementById("search-results");
    if (!form || !input || !out) return;
    var index = null;

    function show(query) {
      out.textContent = "";
      if (!normalize(query) || !index) return;
      var hits = search(index, query, 30);
      var p = document.createElement("p");
      p.className = "count";
      p.textContent = hits.length ? hits.length + " result" + (hits.length === 1 ? "" : "s") + " for “" + query + "”" : "Nothing matches “" + query + "”.";
      out.appendChild(p);
      var ul = document.createElement("ul");
      ul.className = "topic-list";
      hits.forEach(function (t) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = t.url;
        a.textContent = t.name;
        var d = document.createElement("p");
        d.textContent = t.tagline;
        li.appendChild(a);
        li.appendChild(d);
        ul.appendChild(li);
      });
      out.appendChild(ul);
    }

    fetch(form.getAttribute("data-index"))
      .then(function (r) { return r.json(); })
      .then(function (json) {
        index = json;
        var q = new URLSearchParams(window.location.search).get("q") || "";
        input.value = q;
        show(q);
      });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      window.history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
      show(input.value);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
