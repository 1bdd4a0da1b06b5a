-- update.lua: wrk script for "durable update" in bench/run.
-- PATCH /api/collections/bench/records/<random id> with {"score":<random>};
-- like creates, an update is acknowledged only after its group commit fsync.
-- First script argument: the ids file written by nanobench.py collect-ids.
-- Sent with the bench user's token (bench/run's -H, kept in wrk.headers): a header
-- table passed to wrk.format replaces wrk.headers, so init() copies them in.

local ids = {}
local headers = nil

function init(args)
  ids = dofile(args[1])
  assert(#ids > 0, "no ids in " .. tostring(args[1]))
  headers = { ["Content-Type"] = "application/json" }
  for name, value in pairs(wrk.headers) do headers[name] = value end
  math.randomseed(os.time())
end

function request()
  local body = string.format('{"score":%d}', math.random(0, 1000000))
  return wrk.format("PATCH", "/api/collections/bench/records/" .. ids[math.random(#ids)], headers, body)
end
