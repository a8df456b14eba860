-- Readers of a long tail: each request asks for one path of a list with a Zipf distribution
-- (rank k is asked with weight 1 / k^s; the first line is the most popular).
--
--   wrk -t2 -c32 -d60s -s bench/zipf.lua http://127.0.0.1:8000 -- bench/out/churn-urls.txt [s] [window]
--
-- done() prints one line "ZIPF-RESULT {json}" with the page-cache answers (X-Page-Cache: hit, miss,
-- other), also per window of `window` seconds (default 10), the statuses, and latency percentiles in
-- microseconds, summed over wrk's threads.

local threads = {}
local counter = 0

function setup(thread)
   counter = counter + 1
   thread:set("id", counter)
   table.insert(threads, thread)
end

local paths = {}
local cumulative = {}

function init(args)
   local file = assert(io.open(args[1], "r"), "cannot read the URL list " .. tostring(args[1]))
   for line in file:lines() do
      if line ~= "" then
         table.insert(paths, line)
      end
   end
   file:close()
   assert(#paths > 0, "the URL list is empty")

   local s = tonumber(args[2] or "1.0")
   local total = 0
   for k = 1, #paths do
      total = total + 1 / k ^ s
      cumulative[k] = total
   end
   for k = 1, #paths do
      cumulative[k] = cumulative[k] / total
   end

   -- Each thread is its own Lua state: give each its own random sequence.
   math.randomseed(os.time() * 1000 + id)
   hits, misses, others, statuses = 0, 0, 0, {}
   window = tonumber(args[3] or "10")
   started = os.time()
   window_hits, window_misses = {}, {}
end

-- The smallest rank whose cumulative share reaches a uniform draw.
local function rank()
   local draw = math.random()
   local low, high = 1, #cumulative
   while low < high do
      local middle = math.floor((low + high) / 2)
      if cumulative[middle] < draw then
         low = middle + 1
      else
         high = middle
      end
   end
   return low
end

function request()
   return wrk.format("GET", paths[rank()])
end

function response(status, headers, body)
   local answer = headers["X-Page-Cache"] or headers["x-page-cache"]
   local slot = math.floor((os.time() - started) / window) + 1
   if answer == "hit" then
      hits = hits + 1
      window_hits[slot] = (window_hits[slot] or 0) + 1
   elseif answer == "miss" then
      misses = misses + 1
      window_misses[slot] = (window_misses[slot] or 0) + 1
   else
      others = others + 1
   end
   local key = tostring(status)
   statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
   local hit, miss, other, by_status = 0, 0, 0, {}
   local slots, slot_hits, slot_misses = 0, {}, {}
   for _, thread in ipairs(threads) do
      for _, name in ipairs({"window_hits", "window_misses"}) do
         local into = name == "window_hits" and slot_hits or slot_misses
         for slot, count in pairs(thread:get(name)) do
            into[slot] = (into[slot] or 0) + count
            slots = math.max(slots, slot)
         end
      end
      hit = hit + thread:get("hits")
      miss = miss + thread:get("misses")
      other = other + thread:get("others")
      for status, count in pairs(thread:get("statuses")) do
         by_status[status] = (by_status[status] or 0) + count
      end
   end
   local parts = {}
   for status, count in pairs(by_status) do
      table.insert(parts, string.format('"%s": %d', status, count))
   end
   local windows = {}
   for slot = 1, slots do
      table.insert(windows, string.format("[%d, %d]", slot_hits[slot] or 0, slot_misses[slot] or 0))
   end
   io.write(string.format(
      'ZIPF-RESULT {"hit": %d, "miss": %d, "other": %d, "windows": [%s], "statuses": {%s}, "requests": %d, '
         .. '"duration_us": %d, "errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d}, '
         .. '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "max": %d, "mean": %.1f}}\n',
      hit, miss, other, table.concat(windows, ", "), table.concat(parts, ", "), summary.requests, summary.duration,
      summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
      summary.errors.status,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean
   ))
end
