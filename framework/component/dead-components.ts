/**
 * Components in the dead render (the page's first HTTP response): mounted and rendered inline,
 * once, with nothing kept. They take their cids as live views of the class do (cids.ts) and
 * release them at the end, so the live render that follows gives the same `live-target` values.
 */
import { LiveError } from '../errors.ts'
import type { ComponentSlot, Rendered } from '../template/index.ts'
import { cidsOf, type ClassCids } from './cids.ts'
import { renderComponent } from './components.ts'
import { latestClass } from './hot-classes.ts'
import { LiveComponent, type ComponentClass, type ComponentProps } from './live-component.ts'
import { idOf, type ComponentRenderer, type ComponentScope } from './scope.ts'

const noop = (): void => {}

/** The components of one dead render. */
export class DeadComponents implements ComponentRenderer, ComponentScope {
  readonly #viewName: string
  readonly #cids: ClassCids
  readonly #held: [Function, string][] = []
  readonly #seen = new Set<ComponentSlot>()

  constructor(viewClass: Function) {
    this.#viewName = viewClass.name
    this.#cids = cidsOf(viewClass)
  }

  components(): this {
    return this
  }

  /** Mounts and renders the component here; its own component calls render inline too. */
  call(Called: ComponentClass, props: ComponentProps<object>): Rendered {
    const Component = latestClass(Called) // the reloaded class, under the dev server
    const id = idOf(Component, props)
    const { slot } = this.#cids.acquire(Component, id)
    this.#held.push([Component, id])
    if (this.#seen.has(slot)) {
      throw new LiveError('component.duplicate-id', `${this.#viewName} renders ${Component.name} "${id}" twice; give each its own id`)
    }
    this.#seen.add(slot)
    const { id: _, ...own } = props
    const component = new Component()
    LiveComponent.attach(component, { cid: slot.cid, id, markDirty: noop, sendUpdate: noop })
    LiveComponent.setState(component, { ...component.mount(own) })
    return renderComponent(component)
  }

  /** Releases the cids the render held. */
  finish(): void {
    for (const [Component, id] of this.#held) this.#cids.release(Component, id)
  }
}
