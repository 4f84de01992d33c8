import { describe, expect, it } from 'vitest'
import { PresenceList, syncDiff, syncState } from '../../../client/presence.ts'
import type { Presence, PresenceState } from '../../../client/presence.ts'

const record = () => {
  const events: string[] = []
  return {
    events,
    onJoin: (key: string, current: Presence | undefined, joined: Presence) =>
      events.push(`join ${key} ${current ? 'again' : 'new'} ${joined.metas.map((m) => m.ref)}`),
    onLeave: (key: string, current: Presence, left: Presence) =>
      events.push(`leave ${key} ${left.metas.map((m) => m.ref)} rest=${current.metas.length}`),
  }
}

describe('syncState', () => {
  it('reports exactly the metas that joined and left', () => {
    const before: PresenceState = {
      alice: { metas: [{ ref: '1' }, { ref: '2' }] },
      bob: { metas: [{ ref: '3' }] },
    }
    const after: PresenceState = {
      alice: { metas: [{ ref: '2' }, { ref: '4' }] },
      carol: { metas: [{ ref: '5' }] },
    }
    const callbacks = record()
    expect(syncState(before, after, callbacks)).toEqual(after)
    expect(callbacks.events.sort()).toEqual([
      'join alice again 4',
      'join carol new 5',
      'leave alice 1 rest=2',
      'leave bob 3 rest=0',
    ])
    expect(before['bob']).toBeDefined()
  })
})

describe('syncDiff', () => {
  it('adds a second meta under a key and drops the key when its last meta leaves', () => {
    const callbacks = record()
    let state: PresenceState = { alice: { metas: [{ ref: '1', tab: 1 }] } }
    const second = { alice: { metas: [{ ref: '2', tab: 2 }] } }
    state = syncDiff(state, { joins: second, leaves: {} }, callbacks)
    expect(state['alice']?.metas.map((m) => m.ref)).toEqual(['1', '2'])
    state = syncDiff(state, { joins: {}, leaves: { alice: { metas: [{ ref: '1' }] } } }, callbacks)
    expect(state['alice']?.metas.map((m) => m.ref)).toEqual(['2'])
    state = syncDiff(state, { joins: {}, leaves: second }, callbacks)
    expect(state).toEqual({})
    expect(callbacks.events).toEqual([
      'join alice again 2',
      'leave alice 1 rest=1',
      'leave alice 2 rest=0',
    ])
  })

  it('treats an update (leave old ref, join new ref) as one continuous presence', () => {
    const callbacks = record()
    const state = syncDiff(
      { alice: { metas: [{ ref: '1', status: 'away' }] } },
      {
        joins: { alice: { metas: [{ ref: '2', status: 'online' }] } },
        leaves: { alice: { metas: [{ ref: '1', status: 'away' }] } },
      },
      callbacks,
    )
    expect(state).toEqual({ alice: { metas: [{ ref: '2', status: 'online' }] } })
    expect(callbacks.events).toEqual(['join alice again 2', 'leave alice 1 rest=1'])
  })

  it('ignores a leave for a key it never saw and a duplicated join', () => {
    const join = { joins: { bob: { metas: [{ ref: '9' }] } }, leaves: {} }
    let state = syncDiff({}, { joins: {}, leaves: { ghost: { metas: [{ ref: '1' }] } } })
    state = syncDiff(syncDiff(state, join), join)
    expect(state).toEqual({ bob: { metas: [{ ref: '9' }] } })
  })
})

describe('PresenceList', () => {
  it('holds diffs that arrive before the first state and applies them after it', () => {
    let syncs = 0
    const presences = new PresenceList({ onSync: () => syncs++ })
    presences.syncDiff({ joins: { bob: { metas: [{ ref: '2' }] } }, leaves: {} })
    expect(presences.list()).toEqual([])
    presences.syncState({ alice: { metas: [{ ref: '1' }] } })
    expect(presences.list((key, p) => `${key}:${p.metas.length}`)).toEqual(['alice:1', 'bob:1'])
    presences.syncDiff({ joins: {}, leaves: { alice: { metas: [{ ref: '1' }] } } })
    expect(Object.keys(presences.state)).toEqual(['bob'])
    expect(syncs).toBe(2)
  })
})
