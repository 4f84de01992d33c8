/**
 * Component ids on the wire (cids), per view class: every view of one class gives the same
 * (component class, id) the same cid and the same place object in its tree. So the view's own
 * tree names nothing of one view: views of a class holding the same state render the very same
 * tree, and render sharing (view/sharing.ts) stays on for views with components, while each
 * view's component states, trees and diffs stay its own (components.ts).
 *
 * A cid is held while some view of the class renders that component. Released, it is kept among
 * the last IDLE_CIDS released, so the dead render of a page and the live render that follows
 * agree; past that it is forgotten and a new cid is taken next time. Cids only grow: one never
 * names another component, so a stale `live-target` reaches no component rather than a wrong one.
 */
import { ComponentSlot, type TreeNode } from '../template/index.ts'
import type { ComponentCall } from './live-component.ts'

/** How many released cids a view class remembers. */
export const IDLE_CIDS = 256

/** The last render of a component (a shareable one, sharing.ts), for views holding an equal state. */
export type SharedRender = {
  readonly render: Function
  readonly state: object
  readonly tree: TreeNode
  readonly calls: readonly ComponentCall[]
}

/** One component's cid in the views of a class, while some view holds it. */
export type Held = {
  readonly slot: ComponentSlot
  readonly id: string
  byId: Map<string, Held>
  count: number
  /** Dropped with the last hold: it is what some user saw. */
  shared: SharedRender | null
}

/** The cids of one view class. */
export class ClassCids {
  #next = 1
  readonly #byClass = new Map<Function, Map<string, Held>>()
  // Released, oldest first.
  readonly #idle = new Set<Held>()

  /** The cid of (Component, id) in this class's views, held until release. */
  acquire(Component: Function, id: string): Held {
    let byId = this.#byClass.get(Component)
    if (!byId) this.#byClass.set(Component, (byId = new Map()))
    let held = byId.get(id)
    if (!held) {
      held = { slot: new ComponentSlot(this.#next++), id, byId, count: 0, shared: null }
      byId.set(id, held)
    }
    if (held.count++ === 0) this.#idle.delete(held)
    return held
  }

  /**
   * The cids held for `Previous` are `Next`'s from now on (the dev server's hot reload). Each view
   * of the class asks; the first moves them, and a cid `Next` already took for an id stays.
   */
  rekey(Previous: Function, Next: Function): void {
    const moved = this.#byClass.get(Previous)
    if (!moved) return
    this.#byClass.delete(Previous)
    const byId = this.#byClass.get(Next)
    if (!byId) return void this.#byClass.set(Next, moved)
    for (const [id, held] of moved) {
      if (byId.has(id)) continue
      held.byId = byId
      byId.set(id, held)
    }
  }

  /** Releases one hold of (Component, id). */
  release(Component: Function, id: string): void {
    const held = this.#byClass.get(Component)?.get(id)
    if (!held || --held.count > 0) return
    held.shared = null
    this.#idle.add(held)
    if (this.#idle.size <= IDLE_CIDS) return
    const oldest = this.#idle.values().next().value as Held
    this.#idle.delete(oldest)
    oldest.byId.delete(oldest.id)
  }
}

const byViewClass = new WeakMap<Function, ClassCids>()

/** The cids of the views of `viewClass`. */
export const cidsOf = (viewClass: Function): ClassCids => {
  let cids = byViewClass.get(viewClass)
  if (!cids) byViewClass.set(viewClass, (cids = new ClassCids()))
  return cids
}
