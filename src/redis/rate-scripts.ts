/**
 * The Lua script of the shared rate limits: one token bucket per endpoint and unit (requests, tokens) in Redis,
 * with the same semantics as the in-process `TokenBucket` — it starts full, refills evenly over the period, and a
 * take larger than the capacity waits for a full bucket and leaves it in debt. Both buckets of a call are checked
 * and taken in one script, so however many processes take at once, the fleet together never takes more than the
 * buckets hold. Time is Redis's own (`TIME`), so the clocks of the processes do not matter.
 *
 * A bucket key is a hash { level, last }; a key that is missing is a full bucket. It expires once it would be full
 * again, so idle endpoints leave nothing behind.
 */

/**
 * KEYS: the requests bucket, the tokens bucket. ARGV: requests capacity, tokens capacity (0: no limit), tokens
 * wanted, period in ms. Takes one request and the tokens and returns 0, or takes nothing and returns the ms to wait
 * before both would fit.
 */
export const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local period = tonumber(ARGV[4])
local buckets = { { KEYS[1], tonumber(ARGV[1]), 1 }, { KEYS[2], tonumber(ARGV[2]), tonumber(ARGV[3]) } }
local levels = {}
local wait = 0
for i, b in ipairs(buckets) do
  local cap, amount = b[2], b[3]
  if cap > 0 then
    local v = redis.call('HMGET', b[1], 'level', 'last')
    local level = v[1] and tonumber(v[1]) or cap
    local last = v[2] and tonumber(v[2]) or now
    level = math.min(cap, level + math.max(0, now - last) * cap / period)
    levels[i] = level
    local need = math.min(amount, cap)
    if level < need then wait = math.max(wait, math.ceil((need - level) * period / cap)) end
  end
end
if wait > 0 then return wait end
for i, b in ipairs(buckets) do
  local cap, amount = b[2], b[3]
  if cap > 0 then
    local left = levels[i] - amount
    redis.call('HSET', b[1], 'level', string.format('%.6f', left), 'last', string.format('%d', now))
    redis.call('PEXPIRE', b[1], math.ceil((cap - left) * period / cap) + 1000)
  end
end
return 0
`;
