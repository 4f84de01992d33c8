/**
 * The coordinator in Redis, for nodes on several machines. Keys under the prefix:
 * - `counter`: one counter for epochs and fencing tokens (both only ever grow, even across a loss
  of Redis's data: the counter never falls below Redis's clock in microseconds)
 * - `members` (sorted set, node → last heartbeat by Redis's clock) and `epochs` (hash, node →
 *   epoch): a member silent past the forget period is removed by the next heartbeat of anyone
 * - `lease:<name>`: `"<holder>|<token>"` with a Redis expiry — the lease itself
 * - `names` (hash, name → kind): names that should run
 *
 * Each change is one Lua script, so it is atomic, and every time is Redis's own (`TIME`): nodes'
 * clocks never meet. The connection has no offline queue and a command timeout, so an outage
 * fails calls within `timeoutMs` instead of queueing them until Redis returns.
 */
import type { Redis } from 'ioredis'
import { LiveError } from '../errors.ts'
import { openFailFast } from '../store/index.ts'
import type {
  Coordinator,
  LeaseHolder,
  LeaseOp,
  LeaseReply,
  Member,
  MemberRecord,
  WantedName,
} from './coordinator.ts'

/** Options of `RedisCoordinator.open`. */
export type RedisCoordinatorOptions = {
  /** Default `redis://127.0.0.1:6379`. */
  readonly url?: string
  /** Prepended to every key; one prefix is one cluster. Default `switchboard:cluster:`. */
  readonly prefix?: string
  /** A command waiting longer fails with `cluster.unavailable`; default 1000. */
  readonly timeoutMs?: number
}

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`

// The counter starts at Redis's clock in microseconds, not at 1: a Redis that lost its data
// (a restart without persistence, a failover to a lagging replica) must never hand out a token
// lower than one a store has already seen, or every takeover would be refused as stale.
const NEXT = `${NOW}
local function next_token(key)
  local n = redis.call('INCR', key)
  if n < now * 1000 then
    n = now * 1000
    redis.call('SET', key, string.format('%d', n))
  end
  return n
end
`

// KEYS counter
const EPOCH = `${NEXT}
return next_token(KEYS[1])
`

// KEYS members, epochs; ARGV node, epoch, forgetAfterMs
const BEAT = `${NOW}
local stale = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[3]))
for _, n in ipairs(stale) do
  redis.call('ZREM', KEYS[1], n)
  redis.call('HDEL', KEYS[2], n)
end
if tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0') > tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return 1
`

// KEYS members, epochs. Returns a flat list: node, epoch, age in ms, ...
const MEMBERS = `${NOW}
local z = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
local out = {}
for i = 1, #z, 2 do
  out[#out + 1] = z[i]
  out[#out + 1] = redis.call('HGET', KEYS[2], z[i]) or '0'
  out[#out + 1] = tostring(now - tonumber(z[i + 1]))
end
return out
`

// KEYS members, epochs; ARGV node, epoch
const LEAVE = `
if redis.call('HGET', KEYS[2], ARGV[1]) == ARGV[2] then
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[2], ARGV[1])
end
return 1
`

// KEYS lease, counter; ARGV op, holder, token, ttlMs. Returns {1, token} or {0, "holder|token"}.
// Numbers go into strings through %d: Lua's own conversion would write 1.7e+15.
const LEASE = `${NEXT}
local cur = redis.call('GET', KEYS[1])
local mine = ARGV[2] .. '|' .. ARGV[3]
if ARGV[1] == 'acquire' then
  if not cur then
    local token = next_token(KEYS[2])
    redis.call('SET', KEYS[1], ARGV[2] .. '|' .. string.format('%d', token), 'PX', ARGV[4])
    return {1, token}
  end
  local holder, token = string.match(cur, '^(.*)|(%d+)$')
  if holder == ARGV[2] then
    redis.call('PEXPIRE', KEYS[1], ARGV[4])
    return {1, tonumber(token)}
  end
  return {0, cur}
end
if cur ~= mine then return {0, cur or ''} end
if ARGV[1] == 'renew' then redis.call('PEXPIRE', KEYS[1], ARGV[4]) else redis.call('DEL', KEYS[1]) end
return {1, tonumber(ARGV[3])}
`

type Scripts = {
  nextEpoch(counter: string): Promise<number>
  beat(members: string, epochs: string, node: string, epoch: number, forgetAfterMs: number): Promise<number>
  listMembers(members: string, epochs: string): Promise<string[]>
  leaveMember(members: string, epochs: string, node: string, epoch: number): Promise<number>
  leaseOp(
    lease: string,
    counter: string,
    op: LeaseOp,
    holder: string,
    token: number,
    ttlMs: number,
  ): Promise<[number, number | string]>
}

/** Membership, leases and wanted names in Redis. */
export class RedisCoordinator implements Coordinator {
  readonly #redis: Redis & Scripts
  readonly #prefix: string
  #isClosed = false

  private constructor(redis: Redis & Scripts, prefix: string) {
    this.#redis = redis
    this.#prefix = prefix
  }

  /** Connects; rejects with `cluster.unavailable` if Redis does not answer. */
  static async open(options: RedisCoordinatorOptions = {}): Promise<RedisCoordinator> {
    const { url = 'redis://127.0.0.1:6379', prefix = 'switchboard:cluster:', timeoutMs = 1000 } = options
    const scripts = {
      nextEpoch: [1, EPOCH],
      beat: [2, BEAT],
      listMembers: [2, MEMBERS],
      leaveMember: [2, LEAVE],
      leaseOp: [2, LEASE],
    } as const
    try {
      return new RedisCoordinator(await openFailFast<Scripts>(url, timeoutMs, scripts), prefix)
    } catch (error) {
      throw unavailable('connect', error)
    }
  }

  newEpoch(): Promise<number> {
    return this.#run('hand out an epoch', () => this.#redis.nextEpoch(this.#key('counter')))
  }

  async beat(member: Member, forgetAfterMs: number): Promise<boolean> {
    const [members, epochs] = [this.#key('members'), this.#key('epochs')]
    const { node, epoch } = member
    const ok = await this.#run('heartbeat', () => this.#redis.beat(members, epochs, node, epoch, forgetAfterMs))
    return ok === 1
  }

  async members(): Promise<MemberRecord[]> {
    const flat = await this.#run('list members', () =>
      this.#redis.listMembers(this.#key('members'), this.#key('epochs')),
    )
    const records: MemberRecord[] = []
    for (let i = 0; i + 2 < flat.length; i += 3) {
      records.push({ node: flat[i] as string, epoch: Number(flat[i + 1]), ageMs: Number(flat[i + 2]) })
    }
    return records
  }

  async leave(member: Member): Promise<void> {
    const [members, epochs] = [this.#key('members'), this.#key('epochs')]
    await this.#run('leave', () => this.#redis.leaveMember(members, epochs, member.node, member.epoch))
  }

  async lease(op: LeaseOp, name: string, holder: string, token: number, ttlMs: number): Promise<LeaseReply> {
    const [ok, value] = await this.#run(`${op} a lease`, () =>
      this.#redis.leaseOp(this.#leaseKey(name), this.#key('counter'), op, holder, token, Math.ceil(ttlMs)),
    )
    if (ok === 1) return { ok: true, token: Number(value) }
    return { ok: false, holder: parseHolder(String(value)) }
  }

  async holders(names: readonly string[]): Promise<(LeaseHolder | null)[]> {
    if (names.length === 0) return []
    const values = await this.#run('read leases', () =>
      this.#redis.mget(names.map((name) => this.#leaseKey(name))),
    )
    return values.map((value) => (value == null ? null : parseHolder(value)))
  }

  async want(name: string, kind: string): Promise<void> {
    await this.#run('mark a name', () => this.#redis.hset(this.#key('names'), name, kind))
  }

  async unwant(name: string): Promise<void> {
    await this.#run('unmark a name', () => this.#redis.hdel(this.#key('names'), name))
  }

  async wanted(): Promise<WantedName[]> {
    const all = await this.#run('list names', () => this.#redis.hgetall(this.#key('names')))
    return Object.entries(all).map(([name, kind]) => ({ name, kind }))
  }

  async close(): Promise<void> {
    if (this.#isClosed) return
    this.#isClosed = true
    await this.#redis.quit().catch(() => this.#redis.disconnect())
  }

  #key(name: string): string {
    return this.#prefix + name
  }

  #leaseKey(name: string): string {
    return `${this.#prefix}lease:${name}`
  }

  async #run<R>(action: string, command: () => Promise<R>): Promise<R> {
    if (this.#isClosed) throw new LiveError('cluster.closed', `cannot ${action}: the coordinator was closed`)
    try {
      return await command()
    } catch (error) {
      throw unavailable(action, error)
    }
  }
}

const parseHolder = (value: string): LeaseHolder | null => {
  const at = value.lastIndexOf('|')
  const token = Number(value.slice(at + 1))
  if (at <= 0 || !Number.isSafeInteger(token)) return null
  return { holder: value.slice(0, at), token }
}

const unavailable = (action: string, cause: unknown): LiveError =>
  new LiveError('cluster.unavailable', `Redis did not answer (${action}): ${String(cause)}`, { cause })
