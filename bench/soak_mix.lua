-- Request mix for bench/soak.sh (wrk): latest and past-block reads of the three devnet subnets
-- (past blocks drawn from 1..the finalized head, which grows one block a second, so the cache
-- keeps taking new entries and evicting old ones), random netuids (404s), and the latest block;
-- every answer's status is counted per thread and summed in done().
local head = 1
local started = os.time()
local threads = {}
-- A global: done() reads each thread's table with thread:get, which sees globals only.
counts = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  head = tonumber(args[1]) or 1
  started = os.time()
  math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0))
end

function request()
  local r = math.random(100)
  local netuid = math.random(1, 3)
  local path
  if r <= 35 then
    path = "/api/v1/subnet/" .. netuid .. "/block/latest/neurons"
  elseif r <= 50 then
    path = "/api/v1/subnet/" .. netuid .. "/block/latest/validators"
  elseif r <= 70 then
    -- One block a second, minus a few for finality.
    local now = math.max(1, head + os.difftime(os.time(), started) - 4)
    path = "/api/v1/subnet/" .. netuid .. "/block/" .. math.random(1, now) .. "/neurons"
  elseif r <= 80 then
    path = "/api/v1/subnet/" .. netuid .. "/block/latest/commitments"
  elseif r <= 95 then
    -- Subnets 4..65535 do not exist: 404, and each must not add a metric series.
    path = "/api/v1/subnet/" .. math.random(4, 65535) .. "/block/latest/neurons"
  else
    path = "/api/v1/block/latest"
  end
  return wrk.format("GET", path)
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    local c = t:get("counts")
    for status, n in pairs(c) do
      total[status] = (total[status] or 0) + n
    end
  end
  for status, n in pairs(total) do
    io.write(string.format("status %d: %d\n", status, n))
  end
end
