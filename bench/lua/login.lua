-- login.lua: wrk script for "login" in bench/run.
-- POST /api/collections/users/auth-with-password as the bench user, the same
-- request over and over (wrk builds it once, after init()). The body, with the
-- user's email and password, is the file named by the first script argument
-- (written by nanobench.py setup), so the credentials live in one place.
-- Each login is a bcrypt verification at the server's BCRYPT_COST: this
-- measures that, and bench/run raises AUTH_RATE_LIMIT so that the limiter
-- (10 attempts a minute by default) does not answer 429 instead.

function init(args)
  local f = assert(io.open(args[1], "r"), "cannot read the login body " .. tostring(args[1]))
  wrk.body = f:read("*a")
  f:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end
