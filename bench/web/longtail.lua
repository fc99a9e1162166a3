-- Random comparison pages from a list, each requested once per pass.
--
--   PAIRS=file  one path per line (/compare/a-vs-b, canonical order)
--   START=n     first line to request (1-based)
--   LIMIT=n     when set, cycle over lines START .. START+LIMIT-1 (a warm
--               pass); otherwise walk on and never repeat (a cold pass)
--
-- `done` prints how many requests were sent, so the caller knows where the
-- next cold pass starts.
local paths = {}
for line in io.lines(os.getenv("PAIRS")) do
  paths[#paths + 1] = line
end
local start = tonumber(os.getenv("START") or "1")
local limit = tonumber(os.getenv("LIMIT") or "0")
local n = 0

wrk.headers["Accept-Encoding"] = "gzip, deflate, br"
wrk.headers["Accept"] = "text/html"

request = function()
  local i
  if limit > 0 then
    i = start + (n % limit)
  else
    i = start + n
  end
  n = n + 1
  if i > #paths then
    error("the pairs file ran out: generate more pairs")
  end
  return wrk.format("GET", paths[i])
end

done = function(summary, latency, requests)
  io.write(string.format("SENT %d\n", summary.requests))
end
