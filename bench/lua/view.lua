-- view.lua: wrk script for "view by id" (and "view a post, expand=author") in bench/run.
-- GET of the scenario's path with its "ID" replaced by a random id out of the ids file
-- (first script argument; written by nanobench.py collect-ids). No header table is
-- passed to wrk.format, so it sends wrk.headers: the bench user's token from
-- bench/run's -H.

local ids = {}

function init(args)
  ids = dofile(args[1])
  assert(#ids > 0, "no ids in " .. tostring(args[1]))
  math.randomseed(os.time())
end

function request()
  local path = wrk.path:gsub("ID", ids[math.random(#ids)])
  return wrk.format("GET", path)
end
