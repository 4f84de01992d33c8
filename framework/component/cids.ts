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
import { ComponentSlot } from '../template/index.ts'

/** How many released cids a view class remembers. */
export const IDLE_CIDS = 256

type Held = { readonly slot: ComponentSlot; count: number; readonly byId: Map<string, Held>; readonly id: string }

/** The cids of one view class. */
export class ClassCids {
  #next = 1
  readonly #byClass = new Map<Function, Map<string, Held>>()
  // Released, oldest first.
  readonly #idle = new Set<Held>()

  /** The place of (Component, id) in this class's trees, held until release. */
  acquire(Component: Function, id: string): ComponentSlot {
    let byId = this.#byClass.get(Component)
    if (!byId) this.#byClass.set(Component, (byId = new Map()))
    let held = byId.get(id)
    if (!held) {
      held = { slot: new ComponentSlot(this.#next++), count: 0, byId, id }
      byId.set(id, held)
    }
    if (held.count++ === 0) this.#idle.delete(held)
    return held.slot
  }

  /** Releases one hold of (Component, id). */
  release(Component: Function, id: string): void {
    const held = this.#byClass.get(Component)?.get(id)
    if (!held || --held.count > 0) return
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
