-- wrk script: requests the paths of the file PATHS in random order and
-- prints a summary line (see done).
local paths = {}

function init(args)
  for line in io.lines(os.getenv("PATHS")) do
    paths[#paths + 1] = line
  end
  math.randomseed(os.time() + (tonumber(tostring({}):sub(8), 16) or 0))
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function done(summary, latency, requests)
  io.write(string.format("errors: %d non-2xx/3xx, %d socket\n", summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  -- One line for scripts/bench-tiles.sh to read; bytes include the headers.
  io.write(string.format("result: %.1f req/s, p50 %.2f ms, p99 %.2f ms, %.0f bytes per response, %d requests\n",
    summary.requests / summary.duration * 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.bytes / math.max(summary.requests, 1), summary.requests))
end
