import { describe, expect, it } from 'vitest'
import { html, LiveView, MemoryStore } from '../../../framework/index.ts'
import { Durability, ViewSnapshots } from '../../../framework/view/durable.ts'

type State = { count: number }

class Counter extends LiveView<State> {
  static override durable = { debounceMs: 0 }
  mount(): State {
    return { count: 0 }
  }
  render({ count }: State) {
    return html`<p>${count}</p>`
  }
}

const key = 'view:Counter:sb-test'

describe('Durability', () => {
  it('numbers each change of the snapshot and stores the newest with its version as the fence', async () => {
    const store = new MemoryStore()
    const snapshots = new ViewSnapshots(store)
    const { durability, saved } = await Durability.open(snapshots, new Counter(), { key, seen: 0, resume: true })
    expect(saved).toBeUndefined()
    expect(durability.rendered({ count: 0 })).toBe(1)
    expect(durability.rendered({ count: 0 })).toBe(1) // unchanged: same version
    expect(durability.rendered({ count: 1 })).toBe(2)
    durability.end()
    await snapshots.settled()
    expect(await store.get(key)).toMatchObject({ value: { count: 1 }, fence: 2 })
  })

  it('resumes a snapshot at least as new as the client saw, and mounts fresh above an older one', async () => {
    const store = new MemoryStore()
    await store.put(key, { count: 42 }, { ifVersion: 0, fence: 7 })
    const snapshots = new ViewSnapshots(store, { catchUpMs: 0 })
    const resumed = await Durability.open(snapshots, new Counter(), { key, seen: 7, resume: true })
    expect(resumed.saved).toEqual({ count: 42 })
    expect(resumed.durability.version).toBe(7)
    resumed.durability.end()
    const ahead = await Durability.open(snapshots, new Counter(), { key, seen: 9, resume: true })
    expect(ahead.saved).toBeUndefined() // the client saw version 9: 7 is older, never shown
    expect(ahead.durability.version).toBe(10)
    ahead.durability.end()
    const navigated = await Durability.open(snapshots, new Counter(), { key, seen: 0, resume: false })
    expect(navigated.saved).toBeUndefined()
    navigated.durability.end()
  })

  it('never lets a node that wakes up late overwrite the snapshot its successor wrote', async () => {
    const store = new MemoryStore()
    const snapshots = new ViewSnapshots(store)
    const write = async (durability: Durability, state: State): Promise<number> => {
      const version = durability.rendered(state)
      durability.writeNow()
      await snapshots.settled()
      return version
    }
    const zombie = (await Durability.open(snapshots, new Counter(), { key, seen: 0, resume: true })).durability
    expect(await write(zombie, { count: 5 })).toBe(1)
    // The client moves to another node, which resumes version 1 and goes on.
    const successor = await Durability.open(snapshots, new Counter(), { key, seen: 1, resume: true })
    expect(successor.saved).toEqual({ count: 5 })
    expect(await write(successor.durability, { count: 6 })).toBe(2)
    // The old node wakes up and writes its own version 2: it loses the race and stands down.
    await write(zombie, { count: 99 })
    await write(zombie, { count: 100 })
    expect(await store.get(key)).toMatchObject({ value: { count: 6 }, fence: 2 })
    expect(await write(successor.durability, { count: 7 })).toBe(3)
    expect(await store.get(key)).toMatchObject({ value: { count: 7 }, fence: 3 })
    zombie.end()
    successor.durability.end()
    expect(snapshots.size).toBe(0)
  })
})
