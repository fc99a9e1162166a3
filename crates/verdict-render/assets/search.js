// verdict: search for the static site, which has no server to ask.
// Loads the compact index written by `verdict build` and filters it in the
// page; the server-rendered search page works without this script.
"use strict";

(function () {
  function normalize(s) {
    return s.toLowerCase().replace(/[^a-z0-9+#]+/g, " ").trim();
  }

  function init() {
    var form = document.querySelector("form.big-search");
    var input = document.getElementById("q");
    var out = document.getElementById("search-results");
    if (!form || !input || !out) return;
    var index = null;

    function show(query) {
      var q = normalize(query);
      out.textContent = "";
      if (!q || !index) return;
      var hits = index.topics.filter(function (t) {
        return t.keys.some(function (k) { return k.indexOf(q) !== -1; }) || normalize(t.tagline).indexOf(q) !== -1;
      }).slice(0, 30);
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
