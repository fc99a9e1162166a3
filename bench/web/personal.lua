-- Every request asks for weights no earlier request used, in the canonical
-- query form the server answers directly (sorted keys, trimmed numbers).
local n = 0
local function fmt(x)
  local s = string.format("%.2f", x):gsub("0+$", ""):gsub("%.$", "")
  return s
end
request = function()
  n = n + 1
  local a = fmt((n % 1000) / 100)
  local b = fmt((math.floor(n / 1000) % 1000) / 100 + 0.01)
  local path = wrk.path .. "?w.learning-curve=" .. a .. "&w.productivity=" .. b
  return wrk.format("GET", path, { ["Accept-Encoding"] = "gzip, br" })
end
