-- wrk script for the benchmark harness: method/body from the arguments, a per-thread request cap,
-- and one JSON line with the summary. Arguments (after `--`): cap_per_thread method content_type [body]
-- wrk counts only statuses > 399 as errors; redirects (3xx, e.g. to the login page) are counted here in
-- "redirects" and the harness adds them to the non-2xx figure.
local cap = 0
local count = 0
redirects = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  cap = tonumber(args[1]) or 0
  wrk.method = args[2] or "GET"
  if args[3] and args[3] ~= "" then wrk.headers["Content-Type"] = args[3] end
  if args[4] and args[4] ~= "" then wrk.body = args[4] end
end

function response(status, headers, body)
  count = count + 1
  if status >= 300 and status < 400 then redirects = redirects + 1 end
  if cap > 0 and count >= cap then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local e = summary.errors
  local r = 0
  for _, thread in ipairs(threads) do r = r + (thread:get("redirects") or 0) end
  io.write(string.format(
    '\nBENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "redirects": %d, "timeout": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, r, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, latency.mean))
end
