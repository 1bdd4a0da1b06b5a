-- create.lua: wrk script for the "durable create" load phase of bench/run.
--
-- Issues exactly N (first script argument, default 100000) record creates,
-- POST /api/collections/bench/records, with status cycling s0..s9 by a
-- per-request counter (so exactly N/10 records have status "s3") and a random
-- score in 0..1e6. The optional second argument is where the counter starts
-- (default 0), the optional third the collection (default bench; bench/run's create warm-up writes to
-- bench_warm): with two nodes (BENCH_NODES=2) bench/run runs one wrk per node,
-- "N/2 0" and "N/2 N/2", so the two together number 1..N as one run does and
-- still give exactly N/10 records of each status. Every create is acknowledged only after the server's group
-- commit has fsync'd it, so this measures durable write throughput.
--
-- Creates carry the bench user's token, which bench/run gives wrk with -H and
-- wrk keeps in wrk.headers. A header table passed to wrk.format replaces
-- wrk.headers, so init() copies them into the create headers; without the
-- token the collection's create rule would refuse every create. The /health
-- fillers stay anonymous, as /health is everywhere in the bench.
--
-- wrk cannot "not send" a request, so once N creates are issued the remaining
-- connections send GET /health fillers (at most one per connection) until the
-- last create has answered; then the thread stops. wrk also calls request() once
-- right after init() just to inspect the request (that one is never sent), so
-- the first call returns a filler too and is not counted. Fillers are not counted:
-- done() prints the number of creates and the run time, and bench/nanobench.py
-- computes req/s from those. Must run with one thread (-t1).
--
-- wrk's main thread sleeps for the whole -d duration even after all threads
-- have stopped; a SIGINT ends that sleep (wrk then prints its results as usual),
-- so the script sends one to its own process (LuaJIT FFI) when it is done.
-- -d is therefore only an upper bound for the load phase. Should creates get
-- lost (socket errors: the server closed connections), the fillers would go on
-- for ever; the phase is then ended 15 s after the last create was issued.

local ffi = require("ffi")
ffi.cdef [[ int getpid(void); int kill(int pid, int sig); ]]
local SIGINT = 2

local path = "/api/collections/bench/records"
local json_headers = nil  -- wrk.headers (the token) + Content-Type; built in init()
local get_headers = {}
local text = "The quick brown fox jumps over the lazy dog while the benchmark keeps "
          .. "writing records to NanoDB."  -- ~100 characters

target = 100000   -- globals, so that done() can read them with thread:get()
offset = 0        -- the counter's start (second script argument)
issued = 0
created = 0
errors = 0
filler = 0
local first_call = true
local drain_since = nil  -- os.time() when the last create was issued

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  target = tonumber(args[1]) or target
  offset = tonumber(args[2]) or offset
  if args[3] then path = "/api/collections/" .. args[3] .. "/records" end
  json_headers = { ["Content-Type"] = "application/json" }
  for name, value in pairs(wrk.headers) do json_headers[name] = value end
  math.randomseed(os.time())
end

local function finish()
  wrk.thread:stop()
  ffi.C.kill(ffi.C.getpid(), SIGINT)  -- end wrk's -d sleep now
end

function request()
  if first_call then  -- wrk's inspection call (or, in other wrk builds, a harmless GET)
    first_call = false
    return wrk.format("GET", "/health", get_headers)
  end
  if issued >= target then
    filler = filler + 1
    drain_since = drain_since or os.time()
    if os.time() - drain_since > 15 then finish() end
    return wrk.format("GET", "/health", get_headers)
  end
  issued = issued + 1
  local n = offset + issued
  local body = string.format('{"title":"record %d","status":"s%d","score":%d,"body":"%s"}',
                             n, n % 10, math.random(0, 1000000), text)
  return wrk.format("POST", path, json_headers, body)
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    -- a record carries "id"; a /health filler answer does not
    if not string.find(body, '"id"%s*:%s*"') then return end
    created = created + 1
  else
    errors = errors + 1
    if errors <= 3 then io.stderr:write("create failed: HTTP ", status, " ", body:sub(1, 300), "\n") end
  end
  if created + errors >= target then finish() end
end

function done(summary, latency, requests)
  local c, e, f = 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created"); e = e + t:get("errors"); f = f + t:get("filler")
  end
  io.write(string.format("BENCH created=%d errors=%d filler=%d duration_us=%d\n",
                         c, e, f, summary.duration))
end
