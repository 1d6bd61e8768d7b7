/**
 * The Lua scripts of the Redis budget ledger. Each runs atomically in Redis, so a check and the hold it grants
 * can never interleave with another process's. Amounts are integers: USD in nano-dollars, and tokens.
 *
 * A scope key is a hash { sn: spent nano, st: spent tokens, rn: reserved nano, rt: reserved tokens }. When the
 * instance budget has a window (`win` ms > 0), its spend is kept per window instead, in `<instance key>:w:<window
 * start>` (epoch ms, Redis's clock), while its holds stay in the instance key: holds carry over into the next
 * window, and a settle charges the window in which it lands (as the in-memory ledger does). A
 * reservation is a hash { chain: scope keys separated by spaces, n, t, state: held | dropped | reaped } plus an
 * entry in the lease sorted set, scored with the time its lease ends. Reaping (at the start of every reserve and
 * figures read) settles the holds whose lease ended at their amount: their holder died (or lost Redis) with the
 * attempt's request possibly on the wire and billed, and the reserved worst case is the only figure that cannot
 * undercount it. A reaped reservation remembers the spend keys it charged (`sk`): should its holder come back and
 * settle after all, the settle moves that charge to the actual amount. A reservation dropped because its scope
 * closed still charges its actual spend when it is settled later.
 */

/** Shared Lua: the clock, holds, reaping and figures. */
const COMMON = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function add(keys, n, t)
  for _, key in ipairs(keys) do
    redis.call('HINCRBY', key, 'rn', string.format('%d', n))
    redis.call('HINCRBY', key, 'rt', string.format('%d', t))
  end
end
local function split(chain)
  local keys = {}
  for key in string.gmatch(chain, '%S+') do keys[#keys + 1] = key end
  return keys
end
local function drop(prefix, leases, id)
  local rec = prefix .. 'res:' .. id
  if redis.call('HGET', rec, 'state') == 'held' then
    local n = tonumber(redis.call('HGET', rec, 'n'))
    local t = tonumber(redis.call('HGET', rec, 't'))
    add(split(redis.call('HGET', rec, 'chain')), -n, -t)
    redis.call('HSET', rec, 'state', 'dropped')
  end
  redis.call('ZREM', leases, id)
end
local function spend_key(keys, i, win, now)
  if i == 1 and win > 0 then return keys[1] .. ':w:' .. string.format('%d', math.floor(now / win) * win) end
  return keys[i]
end
local function charge(keys, win, now, n, t)
  local charged = {}
  for i = 1, #keys do
    local key = spend_key(keys, i, win, now)
    redis.call('HINCRBY', key, 'sn', string.format('%d', n))
    redis.call('HINCRBY', key, 'st', string.format('%d', t))
    if key ~= keys[i] then redis.call('PEXPIRE', key, 2 * win + 60000) end
    charged[#charged + 1] = key
  end
  return charged
end
local function reap(prefix, now)
  local leases = prefix .. 'leases'
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', leases, '-inf', now, 'LIMIT', 0, 100)) do
    local rec = prefix .. 'res:' .. id
    if redis.call('HGET', rec, 'state') == 'held' then
      local n = tonumber(redis.call('HGET', rec, 'n'))
      local t = tonumber(redis.call('HGET', rec, 't'))
      local keys = split(redis.call('HGET', rec, 'chain'))
      add(keys, -n, -t)
      local win = tonumber(redis.call('HGET', rec, 'win') or '0') or 0
      local charged = charge(keys, win, now, n, t)
      redis.call('HSET', rec, 'state', 'reaped', 'sk', table.concat(charged, ' '))
    end
    redis.call('ZREM', leases, id)
  end
end
local function num(v)
  return v and tonumber(v) or 0
end
local function figures(keys, win, now)
  local out = {}
  for i, key in ipairs(keys) do
    local s = redis.call('HMGET', spend_key(keys, i, win, now), 'sn', 'st')
    local r = redis.call('HMGET', key, 'rn', 'rt')
    out[#out + 1] = num(s[1])
    out[#out + 1] = num(s[2])
    out[#out + 1] = num(r[1])
    out[#out + 1] = num(r[2])
  end
  return out
end
`;

/**
 * KEYS: the chain's scope keys, instance first. ARGV: prefix, id, n, t, leaseMs, scopeTtlMs, the instance's window
 * in ms (0: none), the output fit (least tokens, or -1 for none; most tokens; nano per output token), then per
 * level its USD limit in nano and its token limit (-1: none). Returns { 1, held n, held t, fitted tokens (-1: no
 * fit), limiting level (0: none), its unit, what it had left, figures... } or { 0, level, unit, spent, reserved,
 * requested n, requested t }.
 *
 * The fit is the Lua twin of `fitOutputTokens` (src/budget/fit-output.ts), run on the same figures as the check
 * and the hold: at every limited level and unit the whole hold takes at most half of what is left there; when
 * that is less than the least cap, the least cap is asked for, and the check below refuses it if it does not fit.
 */
export const RESERVE = `${COMMON}
local prefix, id = ARGV[1], ARGV[2]
local n, t, lease, ttl = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local win = tonumber(ARGV[7])
local fmin, fmax, fper = tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10])
local leases = prefix .. 'leases'
local now = now_ms()
reap(prefix, now)
local before = figures(KEYS, win, now)
local fitted, limit_i, limit_u, limit_left = -1, 0, '', 0
if fmin >= 0 then
  local least = math.max(0, math.min(fmin, fmax))
  local tokens = math.max(0, fmax)
  local function narrow(room, fixed, per, i, unit)
    local half = math.floor(room / 2)
    local cap = tokens
    if half < fixed then cap = -1 elseif per > 0 then cap = math.floor((half - fixed) / per) end
    if cap < tokens then tokens, limit_i, limit_u, limit_left = cap, i, unit, room end
  end
  for i = 1, #KEYS do
    local sn, st, rn, rt = before[4 * i - 3], before[4 * i - 2], before[4 * i - 1], before[4 * i]
    local ln, lt = tonumber(ARGV[9 + 2 * i]), tonumber(ARGV[10 + 2 * i])
    if ln >= 0 then narrow(ln - sn - rn, n, fper, i, 'usd') end
    if lt >= 0 then narrow(lt - st - rt, t, 1, i, 'tokens') end
  end
  if tokens < least then tokens = least end
  fitted = tokens
  n = n + tokens * fper
  t = t + tokens
end
for i = 1, #KEYS do
  local sn, st, rn, rt = before[4 * i - 3], before[4 * i - 2], before[4 * i - 1], before[4 * i]
  local ln, lt = tonumber(ARGV[9 + 2 * i]), tonumber(ARGV[10 + 2 * i])
  if ln >= 0 and sn + rn + n > ln then return { 0, i, 'usd', sn, rn, n, t } end
  if lt >= 0 and st + rt + t > lt then return { 0, i, 'tokens', st, rt, n, t } end
end
add(KEYS, n, t)
for i = 2, #KEYS do redis.call('PEXPIRE', KEYS[i], ttl) end
local rec = prefix .. 'res:' .. id
redis.call('HSET', rec, 'chain', table.concat(KEYS, ' '), 'n', string.format('%d', n), 't', string.format('%d', t), 'state', 'held', 'win', string.format('%d', win))
redis.call('PEXPIRE', rec, ttl)
redis.call('ZADD', leases, string.format('%d', now + lease), id)
local out = figures(KEYS, win, now)
local head = { 1, n, t, fitted, limit_i, limit_u, limit_left }
for i = #head, 1, -1 do table.insert(out, 1, head[i]) end
return out
`;

/**
 * ARGV: prefix, id, charged nano, charged tokens. Returns { 0 } when the id is unknown or already settled, else
 * { 1, figures of its chain... } (the chain is read from the reservation). A reservation reaped at its amount
 * (its lease ended first) has that charge replaced by this one, on the keys it was charged to.
 */
export const SETTLE = `${COMMON}
local prefix, id = ARGV[1], ARGV[2]
local n, t = tonumber(ARGV[3]), tonumber(ARGV[4])
local rec = prefix .. 'res:' .. id
local chain = redis.call('HGET', rec, 'chain')
if not chain then return { 0 } end
local win = tonumber(redis.call('HGET', rec, 'win') or '0') or 0
local now = now_ms()
local keys = split(chain)
if redis.call('HGET', rec, 'state') == 'reaped' then
  local dn = n - tonumber(redis.call('HGET', rec, 'n'))
  local dt = t - tonumber(redis.call('HGET', rec, 't'))
  for _, key in ipairs(split(redis.call('HGET', rec, 'sk'))) do
    redis.call('HINCRBY', key, 'sn', string.format('%d', dn))
    redis.call('HINCRBY', key, 'st', string.format('%d', dt))
  end
else
  drop(prefix, prefix .. 'leases', id)
  charge(keys, win, now, n, t)
end
redis.call('DEL', rec)
local out = figures(keys, win, now)
table.insert(out, 1, 1)
return out
`;

/** ARGV: prefix, then reservation ids. Returns their holds (a later settle still charges). */
export const DROP = `${COMMON}
local prefix = ARGV[1]
for i = 2, #ARGV do drop(prefix, prefix .. 'leases', ARGV[i]) end
return 1
`;

/** ARGV: prefix, leaseMs, then reservation ids. Extends the leases that are still running. */
export const RENEW = `${COMMON}
local prefix, lease = ARGV[1], tonumber(ARGV[2])
local now = now_ms()
for i = 3, #ARGV do redis.call('ZADD', prefix .. 'leases', 'XX', string.format('%d', now + lease), ARGV[i]) end
return 1
`;

/**
 * KEYS: scope keys, instance first. ARGV: the instance's window in ms (0: none), prefix. Reaps the holds whose lease
 * ended, then returns the figures.
 */
export const FIGURES = `${COMMON}
local now = now_ms()
reap(ARGV[2], now)
return figures(KEYS, tonumber(ARGV[1]), now)
`;
