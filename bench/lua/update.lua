-- update.lua: wrk script for "durable update" in bench/run.
-- PATCH /api/collections/bench/records/<random id> with {"score":<random>};
-- like creates, an update is acknowledged only after its group commit fsync.
-- First script argument: the ids file written by nanobench.py collect-ids.

local ids = {}
local headers = { ["Content-Type"] = "application/json" }

function init(args)
  ids = dofile(args[1])
  assert(#ids > 0, "no ids in " .. tostring(args[1]))
  math.randomseed(os.time())
end

function request()
  local body = string.format('{"score":%d}', math.random(0, 1000000))
  return wrk.format("PATCH", "/api/collections/bench/records/" .. ids[math.random(#ids)], headers, body)
end
