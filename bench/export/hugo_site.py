#!/usr/bin/env python3
"""Writes a Hugo site comparable to a `verdict build` export.

usage: hugo_site.py DIR --pages N --categories C [--body-items K]

N pages under content/compare/, each Markdown with front matter: an intro,
a pick, a scorecard table, pros and cons of two sides, verdict paragraphs
and related links. One page template (layouts/_default/single.html, 7 KB
like verdict's compare.html) renders the same parts verdict's comparison
page has from the front matter (a chart, the weights form, the scorecard
table, two side cards, "use which when", related links, a JSON data block)
inside the frame verdict's base.html adds: head with meta, canonical, Open
Graph and JSON-LD, a header search form, and a footer listing the first
24 of the C categories, then a link to all of them (read from
data/categories.json), as verdict's footer does. Deterministic.
"""

import json
import os
import sys

SINGLE = r"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} — {{ site.Title }}</title>
<meta name="description" content="{{ .Description }}">
<link rel="canonical" href="{{ .Permalink }}">
<meta name="color-scheme" content="light dark">
<meta property="og:site_name" content="{{ site.Title }}">
<meta property="og:type" content="article">
<meta property="og:title" content="{{ .Title }}">
<meta property="og:description" content="{{ .Description }}">
<meta property="og:url" content="{{ .Permalink }}">
<meta name="twitter:card" content="summary">
<meta name="twitter:title" content="{{ .Title }}">
<meta name="twitter:description" content="{{ .Description }}">
<link rel="stylesheet" href="/assets/site.css">
<link rel="alternate" type="application/atom+xml" title="{{ site.Title }}" href="{{ site.BaseURL }}index.xml">
<script type="application/ld+json">{{ dict "@context" "https://schema.org" "@type" "Article" "headline" .Title "description" .Description "url" .Permalink "dateModified" (.Lastmod.Format "2006-01-02") | jsonify | safeJS }}</script>
<script src="/assets/verdict.js" defer></script>
<script type="application/json" id="verdict-data">{{ dict "scores" .Params.scores "pick" .Params.pick "related" .Params.related | jsonify | safeJS }}</script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site-header">
  <div class="wrap header-row">
    <a class="logo" href="{{ site.BaseURL }}" aria-label="{{ site.Title }} home"><span class="logo-mark" aria-hidden="true">✓</span>{{ site.Title }}</a>
    <form class="header-search" role="search" action="/search" method="get">
      <label class="visually-hidden" for="site-search">Search topics</label>
      <input id="site-search" type="search" name="q" value="" placeholder="Search topics, e.g. postgres" autocomplete="off">
      <button type="submit">Search</button>
    </form>
  </div>
</header>
<main id="main" class="wrap">
<nav class="crumbs" aria-label="Breadcrumb"><a href="{{ site.BaseURL }}">Home</a> <span aria-hidden="true">›</span> <a href="{{ .Params.category_url }}">{{ .Params.category }}</a></nav>
<article class="comparison">
<h1>{{ .Title }}</h1>
<p class="lede">{{ .Description }}</p>
<section class="pick" aria-labelledby="pick-heading">
  <p class="badge">Our pick</p>
  <h2 id="pick-heading"><a href="{{ .Params.pick_url }}">{{ .Params.pick }}</a></h2>
  <p class="confidence">{{ .Params.confidence }}</p>
</section>
<section aria-labelledby="scores-heading">
<h2 id="scores-heading">Scorecard</h2>
<svg class="chart" role="img" width="640" height="{{ mul (len .Params.scores) 38 }}" viewBox="0 0 640 {{ mul (len .Params.scores) 38 }}">
{{ range $i, $s := .Params.scores }}  <text x="0" y="{{ add (mul $i 38) 14 }}">{{ $s.label }}</text>
  <rect x="150" y="{{ add (mul $i 38) 4 }}" width="{{ mul $s.a 45 }}" height="12" class="a"><title>{{ $s.label }}: {{ $s.a }}</title></rect>
  <rect x="150" y="{{ add (mul $i 38) 18 }}" width="{{ mul $s.b 45 }}" height="12" class="b"><title>{{ $s.label }}: {{ $s.b }}</title></rect>
{{ end }}</svg>
</section>
<section class="personalise" aria-labelledby="personalise-heading">
  <h2 id="personalise-heading">Make it your pick</h2>
  <form id="personalise" action="{{ .Permalink }}" method="get">
    <div class="field"><label for="profile">Reader profile</label>
      <select id="profile" name="profile">
        <option value="" selected>Typical reader (default)</option>
{{ range site.Params.profiles }}        <option value="{{ .slug }}">{{ .label }}</option>
{{ end }}      </select></div>
    <fieldset class="weights"><legend>Weights</legend>
{{ range $i, $s := .Params.scores }}      <div class="weight"><label for="w-{{ $i }}">{{ $s.label }}</label>
        <input id="w-{{ $i }}" type="number" name="w.{{ $s.label | urlize }}" min="0" max="10" step="0.5" value="{{ add 1 (mod $i 3) }}">
        <p class="help">High means {{ $s.label | lower }} counts for more in the pick.</p></div>
{{ end }}    </fieldset>
    <div class="actions"><button type="submit">Recompute</button> <a class="reset" href="{{ .Permalink }}" hidden>Back to our pick</a></div>
  </form>
</section>
<section aria-labelledby="table-heading">
  <h2 id="table-heading">Scores by criterion</h2>
  <table class="scorecard">
    <thead><tr><th scope="col">Criterion</th><th scope="col">Weight</th><th scope="col" class="num">{{ .Params.pick }}</th><th scope="col" class="num">Other</th><th scope="col">Winner</th></tr></thead>
    <tbody>
{{ range $i, $s := .Params.scores }}      <tr><th scope="row">{{ $s.label }}</th><td>{{ add 1 (mod $i 3) }}</td><td class="num{{ if gt $s.a $s.b }} win{{ end }}">{{ $s.a }}</td><td class="num{{ if gt $s.b $s.a }} win{{ end }}">{{ $s.b }}</td><td>{{ if gt $s.a $s.b }}{{ $.Params.pick }}{{ else if gt $s.b $s.a }}Other{{ else }}A tie{{ end }}</td></tr>
{{ end }}    </tbody>
  </table>
</section>
<section class="sides" aria-label="The two sides">
{{ range $i, $side := .Params.sides }}  <article class="side{{ if eq $i 0 }} is-pick{{ end }}" aria-labelledby="side-{{ $i }}">
    <p class="kind">{{ $side.kind }}</p>
    <h2 id="side-{{ $i }}"><a href="{{ $side.url }}">{{ $side.name }}</a></h2>
    {{ if eq $i 0 }}<p class="badge">Our pick</p>{{ end }}
    <p class="tagline">{{ $side.tagline }}</p>
    <p class="use-when">Choose it if {{ $side.use_when }}.</p>
    <p class="related"><span>Related:</span> {{ range $j, $r := $side.related }}{{ if $j }}, {{ end }}<a href="{{ $r.url }}">{{ $r.text }}</a>{{ end }}</p>
    <p class="reviewed">Reviewed {{ $side.reviewed }}</p>
  </article>
{{ end }}</section>
<section class="verdict" aria-labelledby="verdict-heading">
  <h2 id="verdict-heading">Use which when</h2>
  <ul class="use-if">
{{ range .Params.sides }}    <li>Use {{ .name }} if {{ .use_when }}.</li>
{{ end }}  </ul>
  <p class="bottom-line"><strong>Bottom line:</strong> {{ .Params.pick }} wins on the criteria that weigh most for a typical reader; the scorecard above shows each row.</p>
  <p class="flip">{{ .Params.confidence }}: the pick would flip if you weighed the other side's strongest criterion at least twice as much.</p>
</section>
{{ .Content }}
<section aria-labelledby="related-heading">
  <h2 id="related-heading">Related comparisons</h2>
  <ul class="link-list">
{{ range .Params.related }}    <li><a href="{{ .url }}">{{ .text }}</a></li>
{{ end }}  </ul>
</section>
</article>
</main>
<footer class="site-footer">
  <div class="wrap">
    <nav aria-label="Categories">
      <h2 class="footer-title">Categories</h2>
      <ul class="footer-links">
{{ range first 24 hugo.Data.categories }}        <li><a href="{{ .url }}">{{ .name }}</a></li>
{{ end }}{{ if gt (len hugo.Data.categories) 24 }}        <li><a href="{{ site.BaseURL }}#categories-heading">All {{ len hugo.Data.categories }} categories</a></li>
{{ end }}      </ul>
    </nav>
    <p class="fine">{{ site.Title }} publishes opinionated picks from an open catalog kept in git. Scores are editors' judgements; popularity figures name their source and date.</p>
  </div>
</footer>
</body>
</html>
"""

LIST = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><h1>{{ .Title }}</h1><ul>{{ range first 50 .Pages }}<li><a href="{{ .Permalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>
"""

WORDS = ("adoption ecosystem tooling runtime latency throughput migrations schema deploys "
         "onboarding documentation community releases upgrades plugins caching tracing").split()

CRITERIA = ["Adoption", "Job market", "Ease of learning", "Maturity", "Ecosystem",
            "Performance", "Productivity", "Scalability"]


def sentence(i, n=18):
    words = [WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(n)]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def page(i, categories, body_items):
    a, b = f"Topic {2 * i}", f"Topic {2 * i + 1}"
    cat = i % categories
    scores = [{"label": c, "a": 3 + (i + k) % 7, "b": 3 + (i * 3 + k) % 7} for k, c in enumerate(CRITERIA)]
    related = [{"text": f"Topic {i + k} vs Topic {i + k + 1}", "url": f"/compare/p-{(i + k) % 100000:06d}/"}
               for k in range(1, 9)]
    fm = {
        "title": f"{a} vs {b}",
        "description": f"{a} vs {b}: our pick is {a}. " + sentence(i),
        "date": "2026-11-20",
        "category": f"Category {cat}",
        "category_url": f"/categories/group-{cat}/",
        "pick": a,
        "pick_url": f"/topics/t-{2 * i}/",
        "confidence": "Clear pick" if i % 3 else "Close call",
        "scores": scores,
        "related": related,
        "sides": [{"name": n, "kind": "A framework", "url": f"/topics/t-{2 * i + k}/",
                   "tagline": sentence(i + k, 20), "use_when": "you want " + sentence(i + k, 12)[:-1].lower(),
                   "related": related[k * 3:k * 3 + 4], "reviewed": "2026-11-20"}
                  for k, n in enumerate((a, b))],
    }
    out = ["---", json.dumps(fm), "---", ""]
    out.append(sentence(i, 40) + " " + sentence(i + 1, 40))
    out.append("")
    out.append("| Criterion | " + a + " | " + b + " | Why |")
    out.append("|---|---:|---:|---|")
    for s in scores:
        out.append(f"| {s['label']} | {s['a']} | {s['b']} | {sentence(i + s['a'], 14)} |")
    out.append("")
    for side in (a, b):
        out.append(f"## {side}")
        out.append("")
        out.append(sentence(i + 3, 30))
        out.append("")
        out.append("**Pros**")
        out.append("")
        for k in range(body_items):
            out.append(f"- {sentence(i + k, 22)}")
        out.append("")
        out.append("**Cons**")
        out.append("")
        for k in range(max(2, body_items // 2)):
            out.append(f"- {sentence(i + k + 5, 22)}")
        out.append("")
    out.append("## The verdict")
    out.append("")
    for k in range(4):
        out.append(sentence(i + k, 35))
        out.append("")
    return "\n".join(out)


def main():
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        sys.exit(__doc__)
    root = args[0]
    opts = dict(zip(args[1::2], args[2::2]))
    pages = int(opts["--pages"])
    categories = int(opts["--categories"])
    body_items = int(opts.get("--body-items", "5"))
    os.makedirs(os.path.join(root, "layouts", "_default"))
    os.makedirs(os.path.join(root, "data"))
    os.makedirs(os.path.join(root, "content", "compare"))
    with open(os.path.join(root, "hugo.toml"), "w") as f:
        f.write('baseURL = "https://example.org/"\ntitle = "verdict"\n'
                'disableKinds = ["taxonomy", "term"]\n[services.rss]\nlimit = 100\n'
                '[[params.profiles]]\nslug = "beginner"\nlabel = "Beginner"\n'
                '[[params.profiles]]\nslug = "startup"\nlabel = "Startup"\n'
                '[[params.profiles]]\nslug = "enterprise"\nlabel = "Enterprise"\n')
    with open(os.path.join(root, "layouts", "_default", "single.html"), "w") as f:
        f.write(SINGLE)
    for name in ("list.html", "index.html"):
        with open(os.path.join(root, "layouts", "_default", name), "w") as f:
            f.write(LIST)
    with open(os.path.join(root, "data", "categories.json"), "w") as f:
        json.dump([{"name": f"The Category {c} family", "url": f"https://example.org/categories/group-{c}"}
                   for c in range(categories)], f)
    for i in range(pages):
        with open(os.path.join(root, "content", "compare", f"p-{i:06d}.md"), "w") as f:
            f.write(page(i, categories, body_items))


if __name__ == "__main__":
    main()
