/**
 * The Lua scripts: each presence change is one atomic step in Redis, so two nodes racing over a
 * station cannot interleave (a late release on an old node must not remove a newer entry, which
 * a plain DEL would). A station's entry is the JSON array `[node, conn, protocol]`; presence
 * messages are published from inside the scripts, so they go out exactly when the change happens.
 *
 * Every key passed is in the namespace's hash slot; the keys a script builds from the prefix
 * (another node's heartbeat or set) are in the same slot, which Redis Cluster allows.
 */
import { createHash } from 'node:crypto';
import type { Commands } from './commands';

/** A script and its SHA-1, for EVALSHA. */
export interface Script {
  readonly source: string;
  readonly sha: string;
}

function script(source: string): Script {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/**
 * KEYS: st:<id>, own:<me>. ARGV: value, replace ('1'/'0'), identity, prefix, me, presence message.
 * Returns {1, previous-or-nil} when claimed, {0, current} when a live entry kept its place. The
 * previous entry is returned only when its node is alive (a dead node's entry is just replaced).
 */
export const CLAIM = script(`
local cur = redis.call('GET', KEYS[1])
local previous = false
if cur and cur ~= ARGV[1] then
  local prev = cjson.decode(cur)
  if redis.call('EXISTS', ARGV[4] .. 'node:' .. prev[1]) == 1 then
    if ARGV[2] ~= '1' then return {0, cur} end
    previous = cur
  end
  if prev[1] ~= ARGV[5] then redis.call('SREM', ARGV[4] .. 'own:' .. prev[1], ARGV[3]) end
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SADD', KEYS[2], ARGV[3])
redis.call('PUBLISH', ARGV[4] .. 'presence', ARGV[6])
return {1, previous}
`);

/**
 * Compare and delete. KEYS: st:<id>, own:<node>. ARGV: value, identity, prefix, node, presence
 * message. Returns 1 when the entry was `value` and is gone, 0 when it was another (kept).
 */
export const RELEASE = script(`
local cur = redis.call('GET', KEYS[1])
if cur == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('SREM', KEYS[2], ARGV[2])
  redis.call('PUBLISH', ARGV[3] .. 'presence', ARGV[5])
  return 1
end
if not cur or cjson.decode(cur)[1] ~= ARGV[4] then redis.call('SREM', KEYS[2], ARGV[2]) end
return 0
`);

/** KEYS: st:<id>. ARGV: prefix. The entry when its node is alive, else nil. */
export const LOCATE = script(`
local cur = redis.call('GET', KEYS[1])
if not cur then return false end
if redis.call('EXISTS', ARGV[1] .. 'node:' .. cjson.decode(cur)[1]) == 1 then return cur end
return false
`);

/** KEYS: nodes. ARGV: prefix. Every entry of a live node, as a flat list identity, value, ... */
export const ENTRIES = script(`
local out = {}
for _, node in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[1] .. 'node:' .. node) == 1 then
    for _, id in ipairs(redis.call('SMEMBERS', ARGV[1] .. 'own:' .. node)) do
      local v = redis.call('GET', ARGV[1] .. 'st:' .. id)
      if v and cjson.decode(v)[1] == node then
        out[#out + 1] = id
        out[#out + 1] = v
      end
    end
  end
end
return out
`);

/**
 * The heartbeat, and the janitor's round when this node holds (or wins) the janitor lock.
 * KEYS: node:<me>, nodes, janitor. ARGV: token, ttl ms, me, prefix.
 * Returns {state, removed}: state 0 = our key was ours, 1 = it had expired (or this is the first
 * beat), 2 = another process holds our node id; removed = entries of dead nodes cleared.
 * A dead node's entries go by compare-and-delete: one it no longer holds is left alone.
 */
export const HEARTBEAT = script(`
local old = redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'GET')
redis.call('SADD', KEYS[2], ARGV[3])
local state = 0
if not old then state = 1 elseif old ~= ARGV[1] then state = 2 end
local removed = 0
local won = redis.call('SET', KEYS[3], ARGV[3], 'NX', 'PX', ARGV[2])
if won or redis.call('GET', KEYS[3]) == ARGV[3] then
  redis.call('PEXPIRE', KEYS[3], ARGV[2])
  for _, node in ipairs(redis.call('SMEMBERS', KEYS[2])) do
    if redis.call('EXISTS', ARGV[4] .. 'node:' .. node) == 0 then
      for _, id in ipairs(redis.call('SMEMBERS', ARGV[4] .. 'own:' .. node)) do
        local key = ARGV[4] .. 'st:' .. id
        local v = redis.call('GET', key)
        if v then
          local ref = cjson.decode(v)
          if ref[1] == node then
            redis.call('DEL', key)
            redis.call('PUBLISH', ARGV[4] .. 'presence', cjson.encode({i = id, r = cjson.null, p = ref}))
            removed = removed + 1
          end
        end
      end
      redis.call('DEL', ARGV[4] .. 'own:' .. node)
      redis.call('SREM', KEYS[2], node)
    end
  end
end
return {state, removed}
`);

/**
 * This node leaves: its entries go (compare-and-delete, with presence messages), then its set,
 * heartbeat and membership. KEYS: own:<me>, node:<me>, nodes. ARGV: me, prefix, token.
 * The heartbeat key is deleted only when it is still this process's.
 */
export const LEAVE = script(`
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local key = ARGV[2] .. 'st:' .. id
  local v = redis.call('GET', key)
  if v then
    local ref = cjson.decode(v)
    if ref[1] == ARGV[1] then
      redis.call('DEL', key)
      redis.call('PUBLISH', ARGV[2] .. 'presence', cjson.encode({i = id, r = cjson.null, p = ref}))
    end
  end
end
redis.call('DEL', KEYS[1])
if redis.call('GET', KEYS[2]) == ARGV[3] then
  redis.call('DEL', KEYS[2])
  redis.call('SREM', KEYS[3], ARGV[1])
end
return 1
`);

/**
 * Appends events to the stream, one entry each, in order. KEYS: events. ARGV: maxLen, event...
 * (one call per batch instead of one XADD per event; trimming stays approximate, as `MAXLEN ~`).
 */
export const APPEND = script(`
for i = 2, #ARGV do
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'data', ARGV[i])
end
return #ARGV - 1
`);

/** Runs `s` by its SHA, loading it with EVAL when Redis does not know it (first use, or after a restart). */
export async function run(commands: Commands, s: Script, keys: readonly string[], args: readonly string[]): Promise<unknown> {
  try {
    return await commands.send(['EVALSHA', s.sha, String(keys.length), ...keys, ...args]);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return commands.send(['EVAL', s.source, String(keys.length), ...keys, ...args]);
  }
}
