import { LiveError, unreachable } from '../errors.ts'
import { Liveness, periodsOf, type LivenessPeriods, type PeerView } from '../liveness/index.ts'
import type { PubSub } from '../pubsub/index.ts'
import { isLifecycle } from '../runtime/index.ts'
import { contextOf } from './causal-context.ts'
import type { PresenceList } from './list.ts'
import { isRecord } from './record.ts'
import { Replica, diffsOf } from './replica.ts'
import type { ReplicaChange } from './replica.ts'
import { merge, refOf } from './state.ts'
import type { Dot, PresenceDelta, PresenceMeta, PresenceState } from './state.ts'
import { SyncGate, findingOf } from './sync-gate.ts'
import { decodeWire, isNodeId } from './wire.ts'
import type { PresenceWire } from './wire.ts'

/** The message a subscriber of a tracked topic receives whenever presences join or leave. */
export type PresenceDiffMessage = {
  readonly event: 'presence_diff'
  readonly joins: PresenceList
  readonly leaves: PresenceList
}

/** Options of `new PresenceTracker()`; the periods of node down are `LivenessPeriods`. */
export type PresenceTrackerOptions = LivenessPeriods & {
  /**
   * This node's id in presence state; default `pubsub.nodeId`. Never reuse one after restart.
   * An id shaped `<name>#<epoch>` (what `Cluster` gives its pub/sub) names one start of a node:
   * once a peer hears a higher epoch of a name, the replica of every lower one is dropped at once
   * (the restarted node's old presences leave without waiting for `permDownAfterMs`), and late
   * messages of a lower epoch are ignored.
   */
  readonly nodeId?: string
  /** Separates independent trackers on one pubsub; default `'default'`. */
  readonly name?: string
  /** How often this node announces itself and checks on peers; default 1500. */
  readonly heartbeatMs?: number
  /** Called when replication fails (e.g. a meta Redis cannot carry). Default: console.error. */
  readonly onError?: (error: unknown) => void
}

/** Default heartbeat interval. */
export const HEARTBEAT_MS = 1500

type Owned = { readonly topic: string; readonly key: string; readonly dot: Dot }

/**
 * Tracks who is present on which topic, across nodes. Local changes are applied to a CRDT
 * replica (see `state.ts`), announced to local subscribers of the topic as a
 * `PresenceDiffMessage`, and replicated as deltas on an internal pubsub topic. Heartbeats carry
 * this node's clock and a summary of its slice (how many entries, and a digest of their dots); a
 * peer that sees a clock ahead of what it holds, or twice the same difference from the summary
 * (a lost removal moves no clock), asks for the full slice.
 *
 * A peer that falls silent goes down in two stages (`Liveness`, as cluster membership does),
 * as in Phoenix.Tracker: a silence shorter than `downAfterMs` (default 30 s) changes nothing, so
 * a Redis blip does not make everyone leave and join again. After it the peer is temporarily
 * down: its presences leave (a leave diff), but the peer is still known, and heard again it is
 * asked for its slice, whose presences join again with any change made meanwhile. After
 * `permDownAfterMs` (default 300 s) it is gone for good and forgotten. A graceful `close`
 * removes its presences at once and says goodbye, so peers forget the node at once too; a
 * restart (a newer epoch, see `nodeId`) drops the old start's presences at once.
 *
 * @example
 * tracker.track(owner, 'room:1', user.id, { device: 'laptop' })
 * // diffs go to subscribers of the topic only: { event: 'presence_diff', joins, leaves }
 * pubsub.subscribe('room:1', (msg) => log.push(msg), { owner })
 * // when the owner is done:
 * tracker.untrackOwner(owner)
 */
export class PresenceTracker {
  #pubsub: PubSub
  #node: string
  #topicPrefix: string
  // Peers by node id: up, temporarily down (kept), or gone (their replica dropped).
  #liveness: Liveness
  #onError: (error: unknown) => void
  // Indexed by node, topic and dot: a change costs what it touches, not what the node holds.
  #replica = new Replica()
  // When to ask a peer for its slice again; one request outstanding per peer.
  #syncs = new SyncGate()
  #owned = new Map<unknown, Map<string, Owned>>()
  // Owners that are processes (spawn): the exit listener that untracks them, by owner. Views and
  // channels untrack themselves when they end; a process's presences must not outlive it either.
  #exitWatches = new Map<unknown, () => void>()
  #size = 0
  // For node ids shaped `<name>#<epoch>`: the highest epoch heard of each name.
  #epochs = new Map<string, number>()
  #timer: NodeJS.Timeout
  #isClosed = false

  constructor(pubsub: PubSub, options: PresenceTrackerOptions = {}) {
    const { nodeId = pubsub.nodeId, name = 'default' } = options
    const { heartbeatMs = HEARTBEAT_MS } = options
    const periods = periodsOf(options)
    if (!isNodeId(nodeId)) throw badOption(`nodeId must be a non-empty string, got ${nodeId}`)
    if (!(heartbeatMs > 0 && periods.downAfterMs > heartbeatMs && periods.permDownAfterMs > periods.downAfterMs)) {
      const { downAfterMs, permDownAfterMs } = periods
      throw badOption(`need 0 < heartbeatMs < downAfterMs < permDownAfterMs, got ${heartbeatMs}, ${downAfterMs}, ${permDownAfterMs}`)
    }
    this.#pubsub = pubsub
    this.#node = nodeId
    this.#topicPrefix = `$presence:${name}`
    this.#liveness = new Liveness(periods)
    this.#onError = options.onError ?? reportError
    const receive = (message: unknown): void => this.#receive(message)
    pubsub.subscribe(this.#topicPrefix, receive, { owner: this })
    pubsub.subscribe(this.#directTopic(nodeId), receive, { owner: this })
    this.#timer = setInterval(() => this.#tick(), heartbeatMs).unref()
    // Ask peers for their slices once our subscriptions are live, so the answers reach us.
    pubsub
      .settled()
      .then(() => {
        this.#send(this.#topicPrefix, { type: 'sync', node: this.#node })
        this.#tick()
      })
      .catch(this.#onError)
  }

  /** This node's id in presence state. */
  get nodeId(): string {
    return this.#node
  }

  /** Presences tracked by owners on this node; a leak check should see it return to 0. */
  get size(): number {
    return this.#size
  }

  /** Marks `owner` present on `topic` under `key`; returns the ref of the new meta. */
  track(owner: unknown, topic: string, key: string, meta: PresenceMeta): string {
    this.#assertUsable(topic, key, meta)
    if (isLifecycle(owner) && !owner.isAlive) {
      const detail = `a process that has exited tracked "${key}" on "${topic}"`
      throw new LiveError('presence.owner-exited', detail)
    }
    const owned = this.#owned.get(owner)
    if (owned?.has(slotOf(topic, key))) {
      throw new LiveError(
        'presence.already-tracked',
        `the owner already tracks key ${JSON.stringify(key)} on "${topic}"; call update() instead`,
      )
    }
    const addition = this.#replica.additionOf(this.#node, { topic, key, meta })
    this.#remember(owner, { topic, key, dot: addition.dot })
    this.#applyLocal(addition.delta)
    return refOf(addition.dot)
  }

  /** Replaces the meta `owner` tracks for (topic, key); listed as a leave plus a join. */
  update(owner: unknown, topic: string, key: string, meta: PresenceMeta): string {
    this.#assertUsable(topic, key, meta)
    const previous = this.#owned.get(owner)?.get(slotOf(topic, key))
    if (previous === undefined) {
      throw new LiveError(
        'presence.not-tracked',
        `the owner tracks no key ${JSON.stringify(key)} on "${topic}"; call track() first`,
      )
    }
    const addition = this.#replica.additionOf(this.#node, { topic, key, meta })
    this.#remember(owner, { topic, key, dot: addition.dot })
    this.#applyLocal(merge(removalOf([previous.dot]), addition.delta))
    return refOf(addition.dot)
  }

  /** Removes the presence `owner` tracks for (topic, key); does nothing if there is none. */
  untrack(owner: unknown, topic: string, key: string): void {
    const owned = this.#owned.get(owner)
    const slot = slotOf(topic, key)
    const entry = owned?.get(slot)
    if (owned === undefined || entry === undefined) return
    owned.delete(slot)
    this.#size--
    if (owned.size === 0) this.#forget(owner)
    this.#applyLocal(removalOf([entry.dot]))
  }

  /** Removes every presence of `owner`; a view or channel calls this when it ends. */
  untrackOwner(owner: unknown): void {
    const owned = this.#owned.get(owner)
    if (owned === undefined) return
    this.#forget(owner)
    this.#size -= owned.size
    this.#applyLocal(removalOf([...owned.values()].map((entry) => entry.dot)))
  }

  /**
   * The other nodes this tracker has heard from and not given up on: `up`, or `down` (silent for
   * `downAfterMs`: their presences have left; heard again before `permDownAfterMs`, they join again).
   */
  peers(): PeerView[] {
    return this.#liveness.list()
  }

  /** Everyone present on `topic`, on every node this one hears from. */
  list(topic: string): PresenceList {
    return this.#replica.list(topic)
  }

  /**
   * Stops heartbeats and leaves the internal topics. If the pubsub is still open, this node's
   * presences are removed on peers at once, and they forget this node (it is no longer listed in
   * their `peers()`), instead of after their timeouts.
   */
  async close(): Promise<void> {
    if (this.#isClosed) return
    clearInterval(this.#timer)
    const dots = [...this.#owned.values()].flatMap((owned) => [...owned.values()].map((e) => e.dot))
    // The removal first, for peers that know no goodbye (an older version during a deploy).
    const removal =
      dots.length > 0
        ? this.#send(this.#topicPrefix, { type: 'delta', node: this.#node, delta: removalOf(dots) })
        : null
    const goodbye = this.#send(this.#topicPrefix, { type: 'goodbye', node: this.#node })
    this.#isClosed = true
    this.#owned.clear()
    for (const detach of this.#exitWatches.values()) detach()
    this.#exitWatches.clear()
    this.#size = 0
    this.#liveness.clear()
    this.#epochs.clear()
    this.#syncs.clear()
    this.#replica.clear()
    await Promise.all([removal, goodbye])
    if (!this.#pubsub.isClosed) this.#pubsub.unsubscribeOwner(this)
  }

  #receive(message: unknown): void {
    const wire = decodeWire(message)
    if (this.#isClosed || wire === null || wire.node === this.#node) return
    if (this.#isSuperseded(wire.node)) return
    // A graceful close: gone for good now, not after permDownAfterMs of silence.
    if (wire.type === 'goodbye') return this.#goodbye(wire.node)
    // Back from temporarily down: its presences left when it went down, so fetch its slice;
    // merging it makes them join again, as they are now (deltas sent meanwhile may be lost).
    const wasDown = this.#liveness.stageOf(wire.node) === 'down'
    this.#liveness.heard(wire.node)
    if (wasDown && wire.type !== 'state') this.#requestSync(wire.node)
    switch (wire.type) {
      case 'heartbeat':
        // Behind this peer's clock (a lost addition, or we just met it), or holding other entries
        // than it says it has (a lost removal): fetch its slice. The gate asks once, not per beat.
        if (this.#syncs.isDue(wire.node, findingOf(this.#replica, wire.node, wire))) {
          this.#requestSync(wire.node)
        }
        return
      case 'delta':
        return this.#applyRemote(wire.node, wire.delta)
      case 'state':
        this.#syncs.reset(wire.node)
        return this.#applyRemote(wire.node, wire.state)
      case 'sync':
        this.#send(this.#directTopic(wire.node), {
          type: 'state',
          node: this.#node,
          state: this.#replica.sliceOf(this.#node),
        })
        return
      default:
        return unreachable(wire)
    }
  }

  /**
   * True when `node` is an older start of a node whose newer start was heard: its message is
   * stale. Hearing a newer start drops the replicas of the older ones at once (issue 14, item 1).
   */
  #isSuperseded(node: string): boolean {
    const start = startOf(node)
    if (start === null) return false
    const newest = this.#epochs.get(start.name) ?? 0
    if (start.epoch < newest) return true
    if (start.epoch === newest) return false
    this.#epochs.set(start.name, start.epoch)
    for (const other of this.#liveness.ids()) {
      const seen = startOf(other)
      if (seen === null || seen.name !== start.name || seen.epoch >= start.epoch) continue
      this.#liveness.forget(other)
      this.#syncs.reset(other)
      this.#announce(this.#replica.nodeDown(other))
    }
    return false
  }

  #goodbye(node: string): void {
    this.#liveness.forget(node)
    this.#syncs.reset(node)
    this.#announce(this.#replica.nodeDown(node))
  }

  /** A node is the authority for its own entries only; anything else in its message is dropped. */
  #applyRemote(node: string, delta: PresenceState): void {
    this.#announce(this.#replica.apply(delta, node))
  }

  #applyLocal(delta: PresenceDelta): void {
    this.#announce(this.#replica.apply(delta, this.#node))
    this.#send(this.#topicPrefix, { type: 'delta', node: this.#node, delta })
  }

  /** Tells local subscribers of each touched topic what joined and left: the delta, no scan. */
  #announce(change: ReplicaChange): void {
    if (this.#pubsub.isClosed || (change.joins.length === 0 && change.leaves.length === 0)) return
    for (const [topic, { joins, leaves }] of diffsOf(change)) {
      const message: PresenceDiffMessage = { event: 'presence_diff', joins, leaves }
      this.#pubsub.localBroadcast(topic, message).catch(() => {}) // closed meanwhile: nobody to tell
    }
  }

  #tick(): void {
    if (this.#isClosed || this.#pubsub.isClosed) return
    const clock = this.#replica.maxSeen(this.#node)
    const slice = this.#replica.summaryOf(this.#node)
    this.#send(this.#topicPrefix, { type: 'heartbeat', node: this.#node, clock, slice })
    // Down, temporarily or for good: its presences leave (once; the second drop finds none).
    for (const { id, stage } of this.#liveness.check()) {
      if (stage === 'up') continue
      this.#syncs.reset(id)
      this.#announce(this.#replica.nodeDown(id))
    }
  }

  #requestSync(node: string): void {
    this.#syncs.requested(node)
    this.#send(this.#directTopic(node), { type: 'sync', node: this.#node })
  }

  #send(topic: string, message: PresenceWire): Promise<void> | null {
    if (this.#isClosed || this.#pubsub.isClosed) return null
    return this.#pubsub.broadcastFrom(this, topic, message).catch(this.#onError)
  }

  #remember(owner: unknown, entry: Owned): void {
    const owned = this.#owned.get(owner) ?? new Map<string, Owned>()
    const slot = slotOf(entry.topic, entry.key)
    if (!owned.has(slot)) this.#size++
    owned.set(slot, entry)
    if (owned.size === 1 && isLifecycle(owner) && !this.#exitWatches.has(owner)) {
      this.#exitWatches.set(owner, owner.onExit(() => this.untrackOwner(owner)))
    }
    this.#owned.set(owner, owned)
  }

  #forget(owner: unknown): void {
    this.#owned.delete(owner)
    this.#exitWatches.get(owner)?.()
    this.#exitWatches.delete(owner)
  }

  #directTopic(node: string): string {
    return `${this.#topicPrefix}:${node}`
  }

  #assertUsable(topic: unknown, key: unknown, meta: unknown): void {
    if (this.#isClosed) throw new LiveError('presence.closed', 'track/update after close()')
    if (typeof topic !== 'string' || topic === '') {
      throw new LiveError('pubsub.bad-topic', `got ${JSON.stringify(topic)}; pass a string`)
    }
    if (typeof key !== 'string') {
      throw new LiveError('presence.bad-meta', `a presence key must be a string, got ${typeof key}`)
    }
    if (!isRecord(meta) || !isJson(meta)) {
      throw new LiveError(
        'presence.bad-meta',
        `meta for key ${JSON.stringify(key)} must be a plain JSON object (it crosses nodes)`,
      )
    }
  }
}

/** The delta removing `dots` wherever it is merged: their context, no entries. */
const removalOf = (dots: Iterable<Dot>): PresenceDelta => ({ ...contextOf(dots), entries: {} })

/** The name and epoch of a node id shaped `<name>#<epoch>` (a cluster member id), else null. */
const startOf = (node: string): { readonly name: string; readonly epoch: number } | null => {
  const at = node.lastIndexOf('#')
  const epoch = Number(node.slice(at + 1))
  if (at <= 0 || !Number.isSafeInteger(epoch) || epoch <= 0) return null
  return { name: node.slice(0, at), epoch }
}

const slotOf = (topic: string, key: string): string => JSON.stringify([topic, key])

const isJson = (value: unknown): boolean => {
  try {
    JSON.stringify(value)
    return true
  } catch {
    return false
  }
}

const badOption = (detail: string): LiveError => new LiveError('presence.bad-option', detail)

const reportError = (error: unknown): void => {
  console.error('[switchboard] presence replication failed', error)
}
