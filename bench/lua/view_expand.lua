-- view_expand.lua: wrk script for "view with expand=author" in bench/run's relations phase.
-- GET /api/collections/posts/records/<id>?expand=author for a random post id out of the ids file (first script
-- argument; written by bench/relations.py). wrk.headers carries the bench user's token from bench/run's -H.

local ids = {}

function init(args)
  ids = dofile(args[1])
  assert(#ids > 0, "no ids in " .. tostring(args[1]))
  math.randomseed(os.time())
end

function request()
  return wrk.format("GET", "/api/collections/posts/records/" .. ids[math.random(#ids)] .. "?expand=author")
end
