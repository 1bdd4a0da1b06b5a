-- upload.lua: wrk script for "durable upload" in bench/run's files phase.
-- POST of the scenario's path (/api/collections/files/records) as the SDK sends a FormData: multipart/form-data
-- with an @jsonPayload part ({"title":"upload"}) and one file part for the field "doc" (upload.bin, N bytes of
-- fixed pseudo-random data; N is the first script argument, default 102400). The server stores each file under a
-- new name and acknowledges the create only after the file and the record are durable.
-- The request never changes, so it is built once in init(). Sent with the bench user's token (bench/run's -H,
-- kept in wrk.headers): a header table passed to wrk.format replaces wrk.headers, so init() copies them in.
-- Every answer must be 2xx; wrk counts any other as "Non-2xx", which fails the run.

local req = nil

function init(args)
  local size = tonumber(args[1]) or 102400
  math.randomseed(15)
  local bytes = {}
  for i = 1, size do bytes[i] = string.char(math.random(0, 255)) end
  local file = table.concat(bytes)
  local boundary = "----nanobench" .. string.format("%08x%08x", math.random(0, 0x7fffffff), math.random(0, 0x7fffffff))
  assert(not file:find(boundary, 1, true), "the boundary occurs in the file")
  local body = "--" .. boundary .. "\r\n"
    .. "Content-Disposition: form-data; name=\"@jsonPayload\"\r\n\r\n"
    .. '{"title":"upload"}\r\n'
    .. "--" .. boundary .. "\r\n"
    .. "Content-Disposition: form-data; name=\"doc\"; filename=\"upload.bin\"\r\n"
    .. "Content-Type: application/octet-stream\r\n\r\n"
    .. file .. "\r\n"
    .. "--" .. boundary .. "--\r\n"
  local headers = { ["Content-Type"] = "multipart/form-data; boundary=" .. boundary }
  for name, value in pairs(wrk.headers) do headers[name] = value end
  req = wrk.format("POST", wrk.path, headers, body)
end

function request()
  return req
end
