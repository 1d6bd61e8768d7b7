/**
 * The Lua scripts of the Redis budget ledger. Each runs atomically in Redis, so a check and the hold it grants
 * can never interleave with another process's. Amounts are integers: USD in nano-dollars, and tokens.
 *
 * A scope key is a hash { sn: spent nano, st: spent tokens, rn: reserved nano, rt: reserved tokens }. A
 * reservation is a hash { chain: scope keys separated by spaces, n, t, state: held | dropped } plus an entry in the
 * lease sorted set, scored with the time its lease ends. Reaping (at the start of every reserve) returns the holds
 * whose lease ended: their holder crashed or lost Redis. A reservation that was dropped (lease ended, or scope
 * closed) still charges its actual spend when it is settled later.
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
local function figures(keys)
  local out = {}
  for _, key in ipairs(keys) do
    local v = redis.call('HMGET', key, 'sn', 'st', 'rn', 'rt')
    for i = 1, 4 do out[#out + 1] = tonumber(v[i] or '0') or 0 end
  end
  return out
end
`;

/**
 * KEYS: the chain's scope keys, instance first. ARGV: prefix, id, n, t, leaseMs, scopeTtlMs, then per level its
 * USD limit in nano and its token limit (-1: none). Returns { 1, figures... } or { 0, level, unit, spent, reserved }.
 */
export const RESERVE = `${COMMON}
local prefix, id = ARGV[1], ARGV[2]
local n, t, lease, ttl = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local leases = prefix .. 'leases'
local now = now_ms()
for _, old in ipairs(redis.call('ZRANGEBYSCORE', leases, '-inf', now, 'LIMIT', 0, 100)) do drop(prefix, leases, old) end
for i, key in ipairs(KEYS) do
  local v = redis.call('HMGET', key, 'sn', 'st', 'rn', 'rt')
  local sn, st, rn, rt = tonumber(v[1] or '0') or 0, tonumber(v[2] or '0') or 0, tonumber(v[3] or '0') or 0, tonumber(v[4] or '0') or 0
  local ln, lt = tonumber(ARGV[5 + 2 * i]), tonumber(ARGV[6 + 2 * i])
  if ln >= 0 and sn + rn + n > ln then return { 0, i, 'usd', sn, rn } end
  if lt >= 0 and st + rt + t > lt then return { 0, i, 'tokens', st, rt } end
end
add(KEYS, n, t)
for i = 2, #KEYS do redis.call('PEXPIRE', KEYS[i], ttl) end
local rec = prefix .. 'res:' .. id
redis.call('HSET', rec, 'chain', table.concat(KEYS, ' '), 'n', string.format('%d', n), 't', string.format('%d', t), 'state', 'held')
redis.call('PEXPIRE', rec, ttl)
redis.call('ZADD', leases, string.format('%d', now + lease), id)
local out = figures(KEYS)
table.insert(out, 1, 1)
return out
`;

/**
 * ARGV: prefix, id, charged nano, charged tokens. Returns { 0 } when the id is unknown or already settled, else
 * { 1, figures of its chain... } (the chain is read from the reservation).
 */
export const SETTLE = `${COMMON}
local prefix, id = ARGV[1], ARGV[2]
local n, t = tonumber(ARGV[3]), tonumber(ARGV[4])
local rec = prefix .. 'res:' .. id
local chain = redis.call('HGET', rec, 'chain')
if not chain then return { 0 } end
drop(prefix, prefix .. 'leases', id)
local keys = split(chain)
for _, key in ipairs(keys) do
  redis.call('HINCRBY', key, 'sn', n)
  redis.call('HINCRBY', key, 'st', t)
end
redis.call('DEL', rec)
local out = figures(keys)
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

/** KEYS: scope keys. Returns their figures. */
export const FIGURES = `${COMMON}
return figures(KEYS)
`;
