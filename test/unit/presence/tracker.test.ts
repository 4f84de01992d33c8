import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { codeOf } from '../code-of.ts'
import { PresenceTracker, decodeWire } from '../../../framework/presence/index.ts'
import type {
  PresenceDiffMessage,
  PresenceTrackerOptions,
  PresenceWire,
} from '../../../framework/presence/index.ts'
import { MemoryAdapter, MemoryBus, PubSub } from '../../../framework/pubsub/index.ts'

const FAST: PresenceTrackerOptions = { heartbeatMs: 20, downAfterMs: 80, permDownAfterMs: 150 }

const open: { close: () => Promise<void> }[] = []
afterEach(async () => {
  for (const closable of open.splice(0).reverse()) await closable.close()
})

/** Nodes on one in-memory bus, each with its own PubSub and tracker. */
const cluster = () => {
  const bus = new MemoryBus()
  return (nodeId: string, options: PresenceTrackerOptions = FAST) => {
    const pubsub = new PubSub({ adapter: new MemoryAdapter({ bus, nodeId }) })
    const tracker = new PresenceTracker(pubsub, options)
    open.push(pubsub, tracker)
    return { pubsub, tracker }
  }
}

/** Collects the presence diffs a view subscribed to `topic` would get in handleInfo. */
const inbox = (pubsub: PubSub, topic: string): PresenceDiffMessage[] => {
  const messages: PresenceDiffMessage[] = []
  pubsub.subscribe(topic, (message) => messages.push(message as PresenceDiffMessage))
  return messages
}

const stageOf = (tracker: PresenceTracker, id: string) => tracker.peers().find((peer) => peer.id === id)?.stage

describe('PresenceTracker', () => {
  it('broadcasts a join then a leave to local subscribers of the topic', async () => {
    const { pubsub, tracker } = cluster()('a')
    const messages = inbox(pubsub, 'room')
    const view = {}
    const ref = tracker.track(view, 'room', 'alice', { device: 'laptop' })
    expect(tracker.list('room')).toEqual({ alice: { metas: [{ device: 'laptop', ref }] } })
    tracker.untrack(view, 'room', 'alice')
    await pubsub.settled()
    const alice = { alice: { metas: [{ device: 'laptop', ref }] } }
    expect(messages).toEqual([
      { event: 'presence_diff', joins: alice, leaves: {} },
      { event: 'presence_diff', joins: {}, leaves: alice },
    ])
    expect(tracker.list('room')).toEqual({})
    expect(tracker.size).toBe(0)
  })

  it('keeps one meta per owner under a shared key (one user, several tabs)', async () => {
    const { pubsub, tracker } = cluster()('a')
    const [tab1, tab2] = [{}, {}]
    tracker.track(tab1, 'room', 'alice', { tab: 1 })
    const ref2 = tracker.track(tab2, 'room', 'alice', { tab: 2 })
    expect(tracker.list('room')['alice']?.metas).toHaveLength(2)
    const messages = inbox(pubsub, 'room')
    tracker.untrack(tab1, 'room', 'alice')
    await pubsub.settled()
    expect(tracker.list('room')).toEqual({ alice: { metas: [{ tab: 2, ref: ref2 }] } })
    expect(messages[0]?.leaves['alice']?.metas).toEqual([{ tab: 1, ref: expect.any(String) }])
  })

  it('removes every presence of an owner on untrackOwner', async () => {
    const { pubsub, tracker } = cluster()('a')
    const [view, other] = [{}, {}]
    tracker.track(view, 'room:1', 'alice', {})
    tracker.track(view, 'room:2', 'alice', {})
    tracker.track(other, 'room:1', 'bob', {})
    const one = inbox(pubsub, 'room:1')
    const two = inbox(pubsub, 'room:2')
    tracker.untrackOwner(view)
    await pubsub.settled()
    expect(Object.keys(tracker.list('room:1'))).toEqual(['bob'])
    expect(tracker.list('room:2')).toEqual({})
    expect(Object.keys(one[0]?.leaves ?? {})).toEqual(['alice'])
    expect(Object.keys(two[0]?.leaves ?? {})).toEqual(['alice'])
    expect(tracker.size).toBe(1)
  })

  it('lists one topic and untracks one owner correctly among hundreds of topics and owners', async () => {
    const { pubsub, tracker } = cluster()('a')
    const owners = Array.from({ length: 600 }, (_, i) => ({ i }))
    for (const [i, owner] of owners.entries()) {
      tracker.track(owner, `room:${i % 200}`, `user:${i}`, { i })
      tracker.track(owner, `lobby:${i % 7}`, `user:${i}`, { i })
    }
    const leaving = owners[5]!
    const watched = ['room:5', 'room:6', 'lobby:5', 'lobby:6'].map((t) => [t, inbox(pubsub, t)] as const)
    tracker.untrackOwner(leaving)
    tracker.untrack(owners[6]!, 'room:6', 'user:6')
    await pubsub.settled()
    // room:5 held users 5, 205, 405; only the leaving owner is gone, from its own two topics.
    expect(Object.keys(tracker.list('room:5'))).toEqual(['user:205', 'user:405'])
    expect(Object.keys(tracker.list('room:6'))).toEqual(['user:206', 'user:406'])
    expect(Object.keys(tracker.list('lobby:5')).length).toBe(84) // 85 minus the leaving owner
    expect(Object.keys(tracker.list('lobby:6')).length).toBe(85)
    expect(tracker.list('lobby:6')['user:6']?.metas).toEqual([{ i: 6, ref: expect.any(String) }])
    const leavesOf = (topic: string) =>
      watched.find(([t]) => t === topic)![1].flatMap((m) => Object.keys(m.leaves))
    expect(leavesOf('room:5')).toEqual(['user:5'])
    expect(leavesOf('lobby:5')).toEqual(['user:5'])
    expect(leavesOf('room:6')).toEqual(['user:6'])
    expect(leavesOf('lobby:6')).toEqual([])
    expect(tracker.size).toBe(1197)
    expect(tracker.list('nobody-here')).toEqual({})
  })

  it('announces an update as a leave of the old meta and a join of the new', async () => {
    const { pubsub, tracker } = cluster()('a')
    const view = {}
    const oldRef = tracker.track(view, 'room', 'alice', { status: 'away' })
    const messages = inbox(pubsub, 'room')
    const newRef = tracker.update(view, 'room', 'alice', { status: 'online' })
    await pubsub.settled()
    expect(messages).toEqual([
      {
        event: 'presence_diff',
        joins: { alice: { metas: [{ status: 'online', ref: newRef }] } },
        leaves: { alice: { metas: [{ status: 'away', ref: oldRef }] } },
      },
    ])
  })

  it('replicates joins and leaves to another node', async () => {
    const node = cluster()
    const a = node('a')
    const b = node('b')
    await Promise.all([a.pubsub.settled(), b.pubsub.settled()])
    const messagesOnB = inbox(b.pubsub, 'room')
    const view = {}
    a.tracker.track(view, 'room', 'alice', { n: 1 })
    await vi.waitFor(() => expect(Object.keys(b.tracker.list('room'))).toEqual(['alice']))
    a.tracker.untrackOwner(view)
    await vi.waitFor(() => expect(b.tracker.list('room')).toEqual({}))
    expect(messagesOnB.map((m) => [Object.keys(m.joins), Object.keys(m.leaves)])).toEqual([
      [['alice'], []],
      [[], ['alice']],
    ])
  })

  it('gives a node that starts late the presences already tracked elsewhere', async () => {
    const node = cluster()
    const a = node('a')
    a.tracker.track({}, 'room', 'alice', {})
    a.tracker.track({}, 'room', 'bob', {})
    const b = node('b')
    await vi.waitFor(() => expect(Object.keys(b.tracker.list('room'))).toEqual(['alice', 'bob']))
  })

  it('removes the presences of a node whose heartbeats stop, and emits the leaves', async () => {
    const node = cluster()
    const a = node('a')
    const b = node('b')
    const messagesOnA = inbox(a.pubsub, 'room')
    b.tracker.track({}, 'room', 'bob', {})
    await vi.waitFor(() => expect(Object.keys(a.tracker.list('room'))).toEqual(['bob']))
    // Node b loses its transport: no farewell, no heartbeats.
    await b.pubsub.close()
    await b.tracker.close()
    await vi.waitFor(() => expect(a.tracker.list('room')).toEqual({}), { timeout: 5000 })
    await a.pubsub.settled()
    expect(Object.keys(messagesOnA.at(-1)?.leaves ?? {})).toEqual(['bob'])
  })

  it('removes a closed node at once when it could say goodbye', async () => {
    const node = cluster()
    const slow = { heartbeatMs: 20, downAfterMs: 30_000, permDownAfterMs: 60_000 }
    const a = node('a', slow)
    const b = node('b', slow)
    b.tracker.track({}, 'room', 'bob', {})
    await vi.waitFor(() => expect(Object.keys(a.tracker.list('room'))).toEqual(['bob']))
    await b.tracker.close()
    await vi.waitFor(() => expect(a.tracker.list('room')).toEqual({}))
    expect(b.pubsub.topicCount).toBe(0)
  })

  it('drops a restarted node\'s old presences as soon as its new epoch is heard, not at the timeout', async () => {
    const node = cluster()
    const slow = { heartbeatMs: 20, downAfterMs: 30_000, permDownAfterMs: 60_000 }
    const a = node('a#1', slow)
    const old = node('b#4', slow)
    old.tracker.track({}, 'room', 'bob', {})
    await vi.waitFor(() => expect(Object.keys(a.tracker.list('room'))).toEqual(['bob']))
    const messagesOnA = inbox(a.pubsub, 'room')
    // b dies without a farewell (kill -9) and starts again under a new epoch.
    await old.pubsub.close()
    await old.tracker.close()
    expect(Object.keys(a.tracker.list('room'))).toEqual(['bob']) // not gone for 60 s
    const restarted = node('b#5', slow)
    restarted.tracker.track({}, 'room', 'carol', {})
    await vi.waitFor(() => expect(Object.keys(a.tracker.list('room'))).toEqual(['carol']))
    await a.pubsub.settled()
    expect(messagesOnA.flatMap((m) => Object.keys(m.leaves))).toEqual(['bob'])
  })

  it('ignores a late message of an older epoch once a newer one was heard', async () => {
    const node = cluster()
    const slow = { heartbeatMs: 20, downAfterMs: 30_000, permDownAfterMs: 60_000 }
    const a = node('a#1', slow)
    const newer = node('b#7', slow)
    newer.tracker.track({}, 'room', 'carol', {})
    await vi.waitFor(() => expect(Object.keys(a.tracker.list('room'))).toEqual(['carol']))
    const stale = node('b#6', slow) // an old start that wakes up (a paused process)
    stale.tracker.track({}, 'room', 'ghost', {})
    await stale.pubsub.settled()
    await a.pubsub.settled()
    await new Promise((resolve) => setTimeout(resolve, 100)) // several heartbeats of the stale start
    expect(Object.keys(a.tracker.list('room'))).toEqual(['carol'])
  })

  it('rejects misuse with coded errors', async () => {
    const { pubsub, tracker } = cluster()('a')
    const view = {}
    tracker.track(view, 'room', 'alice', {})
    expect(codeOf(() => tracker.track(view, 'room', 'alice', {}))).toBe('presence.already-tracked')
    expect(codeOf(() => tracker.update(view, 'room', 'bob', {}))).toBe('presence.not-tracked')
    expect(codeOf(() => tracker.track(view, 'room', 'x', [] as never))).toBe('presence.bad-meta')
    expect(codeOf(() => tracker.track(view, 'room', 'y', { n: 1n }))).toBe('presence.bad-meta')
    expect(codeOf(() => tracker.track(view, '', 'z', {}))).toBe('pubsub.bad-topic')
    expect(codeOf(() => new PresenceTracker(pubsub, { heartbeatMs: 10, downAfterMs: 5 }))).toBe(
      'presence.bad-option',
    )
    await tracker.close()
    expect(codeOf(() => tracker.track(view, 'room', 'carol', {}))).toBe('presence.closed')
  })
})

// Heartbeats, down and gone on a fake clock: the node-down and repair suites step it by hand.
const PERIODS: PresenceTrackerOptions = { heartbeatMs: 100, downAfterMs: 1000, permDownAfterMs: 3000 }
const useFakeClock = (): void => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'] })
  })
  afterEach(() => {
    vi.useRealTimers()
  })
}
const keys = (tracker: PresenceTracker) => Object.keys(tracker.list('room')).sort()

describe('PresenceTracker node down in two stages', () => {
  useFakeClock()


  /** Nodes a, b and c, each tracking its people on `room`, all converged; b's link can be cut. */
  const threeNodes = async () => {
    const bus = new MemoryBus()
    const start = (nodeId: string, keys: string[]) => {
      const adapter = new MemoryAdapter({ bus, nodeId })
      const pubsub = new PubSub({ adapter })
      const tracker = new PresenceTracker(pubsub, PERIODS)
      open.push(pubsub, tracker)
      const owner = {}
      for (const key of keys) tracker.track(owner, 'room', key, {})
      return { pubsub, tracker, owner, cut: () => bus.leave(adapter), heal: () => bus.join(adapter) }
    }
    // Node ids of cluster members: name#epoch.
    const nodes = { a: start('a#1', ['ann']), b: start('b#1', ['bob', 'bea']), c: start('c#1', ['cid']) }
    await vi.advanceTimersByTimeAsync(300)
    for (const { tracker } of Object.values(nodes)) {
      expect(keys(tracker)).toEqual(['ann', 'bea', 'bob', 'cid'])
    }
    return { ...nodes, start }
  }
  const stageOfB = (tracker: PresenceTracker) => tracker.peers().find((peer) => peer.id === 'b#1')?.stage

  it('announces nothing when a node is silent for less than downAfterMs', async () => {
    const { a, b, c } = await threeNodes()
    const [onA, onB, onC] = [inbox(a.pubsub, 'room'), inbox(b.pubsub, 'room'), inbox(c.pubsub, 'room')]
    b.cut()
    await vi.advanceTimersByTimeAsync(800)
    expect(stageOfB(a.tracker)).toBe('up')
    b.heal()
    await vi.advanceTimersByTimeAsync(500)
    expect([onA, onB, onC]).toEqual([[], [], []])
    expect(keys(a.tracker)).toEqual(['ann', 'bea', 'bob', 'cid'])
  })

  it('lets a temporarily down node\'s presences leave, reports it down, and lets them join again when it returns', async () => {
    const { a, b, c } = await threeNodes()
    const [onA, onB, onC] = [inbox(a.pubsub, 'room'), inbox(b.pubsub, 'room'), inbox(c.pubsub, 'room')]
    b.cut()
    await vi.advanceTimersByTimeAsync(2000)
    for (const { tracker } of [a, c]) {
      expect(stageOfB(tracker)).toBe('down')
      expect(keys(tracker)).toEqual(['ann', 'cid'])
    }
    expect(b.tracker.peers().map((peer) => peer.stage)).toEqual(['down', 'down'])
    expect(keys(b.tracker)).toEqual(['bea', 'bob'])
    b.heal()
    await vi.advanceTimersByTimeAsync(500)
    expect(stageOfB(a.tracker)).toBe('up')
    expect(b.tracker.peers().map((peer) => peer.stage)).toEqual(['up', 'up'])
    const diffs = (messages: typeof onA) => messages.map((m) => [Object.keys(m.joins).sort(), Object.keys(m.leaves).sort()])
    for (const messages of [onA, onC]) expect(diffs(messages)).toEqual([[[], ['bea', 'bob']], [['bea', 'bob'], []]])
    // b, cut off, saw the others go down and come back the same way.
    expect(onB.flatMap((m) => Object.keys(m.leaves)).sort()).toEqual(['ann', 'cid'])
    expect(onB.flatMap((m) => Object.keys(m.joins)).sort()).toEqual(['ann', 'cid'])
    for (const { tracker } of [a, b, c]) expect(keys(tracker)).toEqual(['ann', 'bea', 'bob', 'cid'])
  })

  it('brings a temporarily down node back as it is now: a removal made meanwhile stays removed', async () => {
    const { a, b } = await threeNodes()
    const onA = inbox(a.pubsub, 'room')
    b.cut()
    b.tracker.untrack(b.owner, 'room', 'bob') // its delta is lost
    await vi.advanceTimersByTimeAsync(2000)
    expect(keys(a.tracker)).toEqual(['ann', 'cid'])
    b.heal()
    await vi.advanceTimersByTimeAsync(500)
    expect(keys(a.tracker)).toEqual(['ann', 'bea', 'cid'])
    expect(onA.map((m) => [Object.keys(m.joins).sort(), Object.keys(m.leaves).sort()])).toEqual([
      [[], ['bea', 'bob']],
      [['bea'], []],
    ])
  })

  it('forgets a node that closed gracefully at once: its presences leave and it is no longer a peer', async () => {
    const { a, b, c } = await threeNodes()
    const [onA, onC] = [inbox(a.pubsub, 'room'), inbox(c.pubsub, 'room')]
    await b.tracker.close()
    await vi.advanceTimersByTimeAsync(0)
    for (const [tracker, messages] of [[a.tracker, onA], [c.tracker, onC]] as const) {
      expect(keys(tracker)).toEqual(['ann', 'cid'])
      expect(messages.map((m) => [Object.keys(m.joins), Object.keys(m.leaves)])).toEqual([[[], ['bob', 'bea']]])
      expect(tracker.peers().map((peer) => peer.id).sort()).toEqual(tracker === a.tracker ? ['c#1'] : ['a#1'])
    }
    // Not brought back as down later either (it said goodbye; its silence means nothing).
    await vi.advanceTimersByTimeAsync(1500)
    expect(stageOfB(a.tracker)).toBeUndefined()
    expect(onA).toHaveLength(1)
  })

  it('forgets a node silent past permDownAfterMs, whose presences left when it went down', async () => {
    const { a, b, c } = await threeNodes()
    const [onA, onC] = [inbox(a.pubsub, 'room'), inbox(c.pubsub, 'room')]
    b.cut()
    await vi.advanceTimersByTimeAsync(800)
    expect(onA).toEqual([])
    await vi.advanceTimersByTimeAsync(2400)
    for (const [tracker, messages] of [[a.tracker, onA], [c.tracker, onC]] as const) {
      expect(keys(tracker)).toEqual(['ann', 'cid'])
      expect(messages.map((m) => [Object.keys(m.joins), Object.keys(m.leaves)])).toEqual([[[], ['bob', 'bea']]])
      expect(stageOfB(tracker)).toBeUndefined()
    }
  })

  it('drops a restarted node\'s old presences at once, though the old start was only temporarily down', async () => {
    const { a, b, start } = await threeNodes()
    const onA = inbox(a.pubsub, 'room')
    b.cut()
    await vi.advanceTimersByTimeAsync(1500)
    expect(stageOfB(a.tracker)).toBe('down')
    expect(onA.flatMap((m) => Object.keys(m.leaves))).toEqual(['bob', 'bea'])
    // b was killed meanwhile and starts again under a new epoch.
    const restarted = start('b#2', ['bud'])
    await vi.advanceTimersByTimeAsync(100)
    expect(keys(a.tracker)).toEqual(['ann', 'bud', 'cid'])
    expect(onA.flatMap((m) => Object.keys(m.leaves))).toEqual(['bob', 'bea'])
    expect(stageOfB(a.tracker)).toBeUndefined()
    expect(restarted.tracker.peers().map((peer) => peer.id).sort()).toEqual(['a#1', 'c#1'])
  })
})

/**
 * Test-only fault injection on one node's outgoing presence messages: `fate` sends, drops, or
 * holds a message back until the node's next heartbeat has gone out (the heartbeat overtakes it);
 * `rewrite` changes what is sent (a node of an older version); `sent` records what went out.
 */
class FaultyAdapter extends MemoryAdapter {
  fate: (wire: PresenceWire) => 'send' | 'drop' | 'hold' = () => 'send'
  rewrite: (wire: PresenceWire) => unknown = (wire) => wire
  readonly sent: PresenceWire[] = []
  #held: (() => Promise<void>)[] = []

  override async publish(topic: string, message: unknown, from: string | null): Promise<void> {
    const wire = decodeWire(message)
    if (wire === null) return super.publish(topic, message, from)
    const fate = this.fate(wire)
    if (fate === 'drop') return
    if (fate === 'hold') {
      this.#held.push(() => super.publish(topic, this.rewrite(wire), from))
      return
    }
    this.sent.push(wire)
    await super.publish(topic, this.rewrite(wire), from)
    if (wire.type === 'heartbeat') for (const send of this.#held.splice(0)) await send()
  }

  /** Drops the next message of `type`, sends everything else. */
  dropNext(type: PresenceWire['type']): void {
    let isDropped = false
    this.fate = (wire) => {
      if (isDropped || wire.type !== type) return 'send'
      isDropped = true
      return 'drop'
    }
  }
}

describe('PresenceTracker repairs a lost delta while heartbeats flow', () => {
  useFakeClock()

  const syncsSent = (adapter: FaultyAdapter) => adapter.sent.filter((wire) => wire.type === 'sync').length
  const isRemoval = (wire: PresenceWire) =>
    wire.type === 'delta' && Object.keys(wire.delta.entries).length === 0

  /** Nodes a and b on one bus, b tracking bob and bea on `room`, converged. */
  const twoNodes = async () => {
    const bus = new MemoryBus()
    const start = (nodeId: string) => {
      const adapter = new FaultyAdapter({ bus, nodeId })
      const pubsub = new PubSub({ adapter })
      const tracker = new PresenceTracker(pubsub, PERIODS)
      open.push(pubsub, tracker)
      return { adapter, pubsub, tracker, owner: {} }
    }
    const [a, b] = [start('a#1'), start('b#1')]
    for (const key of ['bob', 'bea']) b.tracker.track(b.owner, 'room', key, {})
    await vi.advanceTimersByTimeAsync(300)
    expect(keys(a.tracker)).toEqual(['bea', 'bob'])
    return { a, b }
  }

  /** Each heartbeat period b untracks the key it tracked last period and tracks a new one. */
  const churn = async (b: Awaited<ReturnType<typeof twoNodes>>['b'], periods: number, from = 0) => {
    for (let i = from; i < from + periods; i++) {
      if (i > 0) b.tracker.untrack(b.owner, 'room', `churn:${i - 1}`)
      b.tracker.track(b.owner, 'room', `churn:${i}`, {})
      await vi.advanceTimersByTimeAsync(100)
    }
  }

  it('fetches the slice of a peer whose removal was lost, within a few heartbeats, once', async () => {
    const { a, b } = await twoNodes()
    const onA = inbox(a.pubsub, 'room')
    const syncsBefore = syncsSent(a.adapter)
    b.adapter.dropNext('delta')
    b.tracker.untrack(b.owner, 'room', 'bob') // moves no clock: a's clock check sees nothing
    await vi.advanceTimersByTimeAsync(100)
    expect(keys(a.tracker)).toEqual(['bea', 'bob']) // one heartbeat's difference is not enough
    await vi.advanceTimersByTimeAsync(200)
    expect(keys(a.tracker)).toEqual(['bea'])
    expect(onA.map((m) => [Object.keys(m.joins), Object.keys(m.leaves)])).toEqual([[[], ['bob']]])
    await vi.advanceTimersByTimeAsync(1000) // converged: no further sync
    expect(syncsSent(a.adapter) - syncsBefore).toBe(1)
    expect(stageOf(a.tracker, 'b#1')).toBe('up')
  })

  it('repairs a lost removal while the peer keeps adding and removing every heartbeat', async () => {
    const { a, b } = await twoNodes()
    const syncsBefore = syncsSent(a.adapter)
    await churn(b, 5)
    b.adapter.dropNext('delta')
    b.tracker.untrack(b.owner, 'room', 'bob')
    await churn(b, 15, 5)
    expect(keys(a.tracker)).toEqual(keys(b.tracker))
    expect(keys(a.tracker)).toEqual(['bea', 'churn:19'])
    expect(syncsSent(a.adapter) - syncsBefore).toBe(1)
  })

  it('does not sync on churn, even when heartbeats overtake the removals in flight', async () => {
    const { a, b } = await twoNodes()
    const syncsBefore = syncsSent(a.adapter)
    b.adapter.fate = (wire) => (isRemoval(wire) ? 'hold' : 'send')
    await churn(b, 1)
    b.tracker.untrack(b.owner, 'room', 'churn:0')
    await vi.advanceTimersByTimeAsync(0)
    expect(keys(a.tracker)).toContain('churn:0') // held until b's next heartbeat has gone out
    b.tracker.track(b.owner, 'room', 'churn:1', {})
    await vi.advanceTimersByTimeAsync(100)
    await churn(b, 20, 2)
    // Every heartbeat found a's slice of b one entry off, each time another entry: no sync.
    expect(syncsSent(a.adapter) - syncsBefore).toBe(0)
    expect(keys(a.tracker)).toEqual(keys(b.tracker))
  })

  it('treats a heartbeat without a summary (an older node) as before: no sync from the clock alone', async () => {
    const { a, b } = await twoNodes()
    const syncsBefore = syncsSent(a.adapter)
    b.adapter.rewrite = (wire) =>
      wire.type === 'heartbeat' ? { type: 'heartbeat', node: wire.node, clock: wire.clock } : wire
    b.adapter.dropNext('delta')
    b.tracker.untrack(b.owner, 'room', 'bob')
    await vi.advanceTimersByTimeAsync(800)
    expect(keys(a.tracker)).toEqual(['bea', 'bob']) // the documented gap of older versions
    expect(syncsSent(a.adapter) - syncsBefore).toBe(0)
    expect(stageOf(a.tracker, 'b#1')).toBe('up')
  })

  it('keeps one sync outstanding per peer: an unanswered one is repeated after a few heartbeats, not every one', async () => {
    const { a, b } = await twoNodes()
    const syncsBefore = syncsSent(a.adapter)
    b.adapter.fate = (wire) => (wire.type === 'state' || isRemoval(wire) ? 'drop' : 'send')
    b.tracker.untrack(b.owner, 'room', 'bob')
    await vi.advanceTimersByTimeAsync(900) // nine heartbeats of b, every one showing the gap
    const syncs = syncsSent(a.adapter) - syncsBefore
    expect(syncs).toBeGreaterThanOrEqual(2)
    expect(syncs).toBeLessThanOrEqual(3)
    b.adapter.fate = () => 'send'
    await vi.advanceTimersByTimeAsync(500)
    expect(keys(a.tracker)).toEqual(['bea'])
  })
})
