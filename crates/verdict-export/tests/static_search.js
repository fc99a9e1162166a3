// Runs the static site's search script, unchanged, in a stand-in for the
// page it is written for (search/index.html: a form with `data-index`, an
// input and a results box), and reports what a reader would see.
//
// node static_search.js SCRIPT INDEX_URL INDEX_FILE QUERIES_FILE
// The page is opened with ?q=<first query>; every other query is typed
// into the box and submitted. Prints JSON: the URL the script fetched,
// what the box held after loading, and per query the count line, the
// result links in order and the address bar.
"use strict";
const fs = require("fs");
const vm = require("vm");

const [scriptFile, indexUrl, indexFile, queriesFile] = process.argv.slice(2);
const queries = JSON.parse(fs.readFileSync(queriesFile, "utf8"));

// Just the DOM the script touches: elements with children, text, class
// and href; `textContent = ""` empties an element, as in a browser.
function element(tag) {
  const el = { tagName: tag, className: "", href: "", value: "", children: [], attributes: {}, listeners: {} };
  let text = "";
  Object.defineProperty(el, "textContent", {
    get() { return text + el.children.map((c) => c.textContent).join(""); },
    set(v) { text = String(v); el.children = []; },
  });
  el.appendChild = (child) => { el.children.push(child); return child; };
  el.getAttribute = (name) => (name in el.attributes ? el.attributes[name] : null);
  el.addEventListener = (type, fn) => { el.listeners[type] = fn; };
  return el;
}

const form = element("form");
form.className = "big-search";
form.attributes["data-index"] = indexUrl;
const input = element("input");
const results = element("div");
const location = { search: "?q=" + encodeURIComponent(queries[0]) };
const fetched = [];
const context = {
  document: {
    readyState: "complete",
    querySelector: (sel) => (sel === "form.big-search" ? form : null),
    getElementById: (id) => ({ q: input, "search-results": results })[id] || null,
    createElement: element,
    addEventListener() { throw new Error("the page has loaded: the script must not wait"); },
  },
  window: {
    location,
    history: { replaceState(_state, _title, url) { location.search = url; } },
  },
  URLSearchParams,
  fetch(url) {
    fetched.push(url);
    if (url !== indexUrl) return Promise.reject(new Error("404 " + url));
    const body = fs.readFileSync(indexFile, "utf8");
    return Promise.resolve({ json: () => Promise.resolve(JSON.parse(body)) });
  },
};
vm.createContext(context);
vm.runInContext(fs.readFileSync(scriptFile, "utf8"), context, { filename: scriptFile });

function seen(query) {
  const count = results.children.find((c) => c.className === "count");
  const list = results.children.find((c) => c.className === "topic-list");
  return {
    query,
    count: count ? count.textContent : null,
    urls: list ? list.children.map((li) => li.children.find((c) => c.tagName === "a").href) : [],
    address: location.search,
  };
}

// Let the fetch and its callbacks run.
setTimeout(() => {
  const loaded = input.value;
  const out = [seen(queries[0])];
  for (const query of queries.slice(1)) {
    input.value = query;
    let prevented = false;
    form.listeners.submit({ preventDefault() { prevented = true; } });
    if (!prevented) throw new Error("the form would have gone to the server");
    out.push(seen(query));
  }
  process.stdout.write(JSON.stringify({ fetched, loaded, results: out }));
}, 0);
