/**
 * The class a developer extends to write a stateful component: state, render and events, like a
 * view, but living inside a view's process under an id the view gives it. A render places it
 * with `liveComponent(Card, { id, ...props })`; events reach it from elements that carry
 * `live-target=${this.myself}`; a change to its state re-renders it alone.
 *
 * ```ts
 * class Card extends LiveComponent<{ title: string }, { title: string; isOpen: boolean }> {
 *   mount({ title }: { title: string }) { return { title, isOpen: false } }
 *   render({ title, isOpen }: { title: string; isOpen: boolean }) {
 *     return html`<div><button live-click="toggle" live-target=${this.myself}>${title}</button>
 *       ${isOpen ? html`<p>details</p>` : null}</div>`
 *   }
 *   events = { toggle: () => this.assign({ isOpen: !this.state.isOpen }) }
 * }
 * ```
 */
import { LiveError } from '../errors.ts'
import type { EventHandler } from '../schema/index.ts'
import type { Rendered } from '../template/index.ts'
import { takeParked } from './hot-classes.ts'

/** What a component reaches through its view's components while it lives. */
export type ComponentHost = {
  readonly cid: number
  readonly id: string
  markDirty(): void
  sendUpdate(Component: ComponentClass, id: string | number, props: object): void
}

/** Props given to `liveComponent()`: the component's own props plus its `id` in the view. */
export type ComponentProps<P> = P & { readonly id: string | number }

/** Base class of every stateful component; `P` is what its parent passes, `S` its state. */
export abstract class LiveComponent<P extends object = Record<string, unknown>, S extends object = P> {
  #state: S | undefined
  #host: ComponentHost | undefined

  constructor() {
    // Hot reload re-runs a new class's initializers on a live component (hot-classes.ts).
    const parked = takeParked()
    if (parked) return parked as this
  }

  /** Event handlers callable from elements with `live-target=${this.myself}`; nothing else is. */
  events?: Readonly<Record<string, EventHandler>>

  /** Returns the first state from the first props; called once, when the component appears. */
  abstract mount(props: P): S

  /**
   * Called when the parent renders the component again with props that differ (a changed value
   * under any key), and for `sendUpdate`. Without it, the props are merged into the state.
   */
  update?(props: P): void

  /** Renders the state as one element; called after mount and after every change. */
  abstract render(state: S): Rendered

  /** The current state. Change it with `assign`. */
  get state(): S {
    if (this.#state === undefined) {
      throw new LiveError('view.not-mounted', `${this.constructor.name}.state read before mount`)
    }
    return this.#state
  }

  /** Merges `patch` into the state; the component alone re-renders after the current message. */
  assign(patch: Partial<S>): void {
    this.#state = { ...this.state, ...patch }
    this.#host?.markDirty()
  }

  /** The id its parent gave it. */
  get id(): string {
    return this.#services().id
  }

  /** The value for `live-target`: events from that element come to this component. */
  get myself(): number {
    return this.#services().cid
  }

  /** Updates another component of the same view, as LiveView.sendUpdate does. */
  sendUpdate<CP extends object>(
    Component: ComponentClass<CP, object>,
    id: string | number,
    props: Partial<CP>,
  ): void {
    this.#services().sendUpdate(Component as ComponentClass, id, props)
  }

  #services(): ComponentHost {
    if (!this.#host) {
      throw new LiveError('view.not-mounted', `${this.constructor.name} is not rendered by a view`)
    }
    return this.#host
  }

  /** @internal Connects a component to its view's components; called by framework/component. */
  static attach(component: LiveComponent<object, object>, host: ComponentHost): void {
    component.#host = host
  }

  /** @internal Sets the state (from mount); called by framework/component only. */
  static setState<S extends object>(component: LiveComponent<object, S>, state: S): void {
    component.#state = state
  }
}

/** A component call made by a render: what a view or component adopting that render replays. */
export type ComponentCall = readonly [ComponentClass, ComponentProps<object>]

/** A LiveComponent subclass that can be constructed with no arguments. */
export type ComponentClass<P extends object = object, S extends object = object> = new () => LiveComponent<P, S>
