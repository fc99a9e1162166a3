-- wrk script: POST one JSON vote per request, as a distinct reader.
--
-- A reader is an address: each vote comes from one of the addresses in
-- $BENCH_TOKENS ("address token" lines, from tokens.py), sent in
-- X-Forwarded-For with that address's vote token. Each address votes once
-- on each of the 20 comparisons, so the server's one-vote-per-reader-per-
-- day limit stays ON and is exercised (the unique index is checked for
-- every vote) without refusing the benchmark's votes. Start the server with
-- --vote-rate-limit 0 and --client-ip-header X-Forwarded-For.
--
-- Votes spread over 20 comparisons; one in four carries a reason.

local pairs_ = {
  "go-vs-rust", "python-vs-rust", "go-vs-python", "java-vs-kotlin", "csharp-vs-java",
  "react-vs-vue", "angular-vs-react", "svelte-vs-vue", "django-vs-flask", "express-vs-fastify",
  "mysql-vs-postgresql", "mongodb-vs-postgresql", "redis-vs-memcached", "docker-vs-podman", "git-vs-mercurial",
  "javascript-vs-typescript", "ruby-vs-python", "kotlin-vs-swift", "scala-vs-kotlin", "elixir-vs-go",
}

local threads = {}
local run = os.getenv("BENCH_RUN") or tostring(os.time())

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  n = 0
  acked = 0
  other = 0
  readers = {}
  for line in io.lines(os.getenv("BENCH_TOKENS")) do
    local ip, token = line:match("^(%S+) (%S+)$")
    table.insert(readers, { ip = ip, token = token })
  end
end

function request()
  n = n + 1
  -- Each reader votes on every comparison once; threads start far apart
  -- in the list of readers.
  local reader = readers[(math.floor(n / #pairs_) + tid * 100000) % #readers + 1]
  local pair = pairs_[n % #pairs_ + 1]
  local choice = (n % 3 == 0) and "disagree" or "agree"
  local body
  if n % 4 == 0 then
    body = '{"choice":"' .. choice .. '","token":"' .. reader.token .. '","reason":"benchmark reason number ' .. n .. ' <b>escaped</b>"}'
  else
    body = '{"choice":"' .. choice .. '","token":"' .. reader.token .. '"}'
  end
  local headers = {
    ["Content-Type"] = "application/json",
    ["X-Forwarded-For"] = reader.ip,
  }
  return wrk.format("POST", "/api/v1/comparisons/" .. pair .. "/votes", headers, body)
end

function response(status, headers, body)
  if status == 201 then
    acked = acked + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local a, o = 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("acked")
    o = o + t:get("other")
  end
  local secs = summary.duration / 1e6
  io.write(string.format("ACKED %d OTHER %d SECONDS %.2f VOTES_PER_SEC %.0f P50_MS %.2f P99_MS %.2f\n",
    a, o, secs, a / secs, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
