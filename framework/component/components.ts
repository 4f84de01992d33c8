/**
 * The stateful components of one live view: each is state + render + events under a `cid`
 * (cids.ts), living in the view's process, never a process of its own. A render of the view (or
 * of a component) that calls `liveComponent(Card, { id, … })`
 * mounts Card the first time, calls `update` when the props changed, and leaves it alone when
 * they did not; a component no longer rendered by its parent is destroyed with its children.
 *
 * Each component's tree is diffed on its own. What changed since the last send travels in the
 * view's diff under `c`, keyed by cid (docs/protocol.md, "Components"): a component whose
 * props and state did not change is neither rendered nor sent, and an event, `sendUpdate` or
 * `assign` in a component re-renders that component alone, not the view.
 */
import { describeValue, LiveError } from '../errors.ts'
import { diffTree, encodeNode, type TemplateSink, type WireObject } from '../diff/index.ts'
import { handlerFor, type EventHandler } from '../schema/index.ts'
import { buildTree, html, type ComponentSlot, type Rendered, type TreeNode } from '../template/index.ts'
import { cidsOf, type ClassCids, type Held } from './cids.ts'
import { latestClass } from './hot-classes.ts'
import {
  LiveComponent,
  type ComponentCall,
  type ComponentClass,
  type ComponentHost,
  type ComponentProps,
} from './live-component.ts'
import { idOf, renderIn, type ComponentRenderer, type ComponentScope } from './scope.ts'
import { isSameValues, shareableComponentRender } from './sharing.ts'

type Entry = {
  readonly cid: number
  readonly id: string
  // Not readonly: the dev server's hot reload moves an entry to the reloaded class (hotReplace).
  Component: ComponentClass
  readonly component: LiveComponent<object, object>
  readonly slot: ComponentSlot
  /** Its cid in the views of the class, with the render they may share (sharing.ts). */
  readonly held: Held
  /** The props its parent rendered it with last; a render with equal props changes nothing. */
  props: object
  /** The component that renders it, or null for the view. */
  parent: Entry | null
  /** The components its last render rendered. */
  children: Set<Entry>
  /** Its newest tree (null until rendered) and the tree the client holds (null until sent). */
  tree: TreeNode | null
  sent: TreeNode | null
  /** The render pass that last rendered it in: twice in one pass is a duplicate id. */
  pass: number
  isDirty: boolean
  isAlive: boolean
}

// The children of a component that renders none; never written to.
const NO_CHILDREN: Set<Entry> = new Set()

// Wraps a component's place so that it renders anywhere a template result does (lists included).
const place = (slot: ComponentSlot): Rendered => html`${slot}`

/** The components of one live view. */
export class Components implements ComponentRenderer, ComponentScope {
  readonly #viewName: string
  readonly #cids: ClassCids
  readonly #byClass = new Map<Function, Map<string, Entry>>()
  readonly #byCid = new Map<number, Entry>()
  #pass = 1
  // The calls of the render running now (the view's or a component's), and of the view's last.
  #calls: ComponentCall[] = []
  #lastViewCalls: readonly ComponentCall[] = []
  // The renderer running now (null: the view) and the components its render called so far.
  #renderer: Entry | null = null
  #called: Set<Entry> | null = null
  #viewChildren = new Set<Entry>()
  #dirty: Entry[] = []
  #updates: [ComponentClass, string, object][] = []
  // Rendered or destroyed since the last take(): what the next diff carries.
  readonly #changed = new Set<Entry>()
  #removed: number[] = []

  constructor(viewClass: Function) {
    this.#viewName = viewClass.name
    this.#cids = cidsOf(viewClass)
  }

  components(): this {
    return this
  }

  /** A component call from the render now running; returns its place in the caller's tree. */
  call(Called: ComponentClass, props: ComponentProps<object>): Rendered {
    const Component = latestClass(Called) // the reloaded class, under the dev server
    const id = idOf(Component, props)
    const { id: _, ...own } = props
    let entry = this.#byClass.get(Component)?.get(id)
    if (entry?.pass === this.#pass) {
      throw new LiveError('component.duplicate-id', `${this.#viewName} renders ${Component.name} "${id}" twice; give each its own id`)
    }
    if (!entry) entry = this.#mount(Component, id, own)
    else if (!isSameValues(entry.props, own)) {
      entry.props = own
      const { component } = entry
      if (component.update) component.update(own)
      else component.assign(own)
    }
    entry.pass = this.#pass
    entry.parent = this.#renderer
    ;(this.#called ??= new Set()).add(entry)
    this.#calls.push([Component, props])
    return place(entry.slot)
  }

  /**
   * The component calls of the view's last render. A view of the class that adopts that render
   * (sharing.ts) replays them, so its own components get the same props.
   */
  get viewCalls(): readonly ComponentCall[] {
    return this.#lastViewCalls
  }

  /** Makes the calls of another view's render of the same state, as if this view had rendered. */
  replay(calls: readonly ComponentCall[]): void {
    this.#replay(calls)
  }

  // The calls are then this render's calls: the same list, kept once for every view.
  #replay(calls: readonly ComponentCall[]): void {
    for (const [Component, props] of calls) this.call(Component, props)
    this.#calls = calls as ComponentCall[]
  }

  /** Its newest tree, for the view's HTML (testing). */
  treeOf(slot: ComponentSlot): TreeNode | null {
    return this.#byCid.get(slot.cid)?.tree ?? null
  }

  /** Releases every component's cid: the view ended. */
  destroy(): void {
    for (const entry of this.#byCid.values()) this.#cids.release(entry.Component, entry.id)
    this.#byCid.clear()
    this.#byClass.clear()
  }

  /**
   * The dev server's hot reload (framework/dev): the components of `Previous` become components
   * of `Next` where they are, keeping their ids, cids and state; `swap` changes each instance's
   * class. Each re-renders in the view's next settle. Returns how many there were.
   */
  hotReplace(Previous: ComponentClass, Next: ComponentClass, swap: (component: object) => void): number {
    const byId = this.#byClass.get(Previous)
    if (!byId) return 0
    this.#byClass.delete(Previous)
    this.#byClass.set(Next, byId)
    this.#cids.rekey(Previous, Next)
    for (const entry of byId.values()) {
      entry.Component = Next
      swap(entry.component)
      this.markDirty(entry)
    }
    return byId.size
  }

  /** Queues `update(props)` for a component, applied after the current message's render. */
  sendUpdate(Component: ComponentClass, id: string | number, props: object): void {
    this.#updates.push([latestClass(Component), String(id), props])
  }

  /**
   * Finishes a message: after a render of the view (`isViewRendered`) destroys what it no longer
   * renders, applies queued updates and renders every changed component. True when the next
   * diff has something of the components to send.
   */
  settle(isViewRendered: boolean): boolean {
    if (isViewRendered) {
      this.#adopt(null, this.#called ?? NO_CHILDREN)
      this.#called = null
      this.#lastViewCalls = this.#calls
      this.#calls = []
    }
    for (const [Component, id, props] of this.#updates.splice(0)) {
      const entry = this.#byClass.get(Component)?.get(id)
      // A component gone since (a pub/sub message about a removed card) has nothing to update.
      if (!entry) continue
      if (entry.component.update) entry.component.update({ ...entry.props, ...props })
      else entry.component.assign(props)
    }
    // In the order they changed, parents before the children they mount: cids then follow the
    // same order in the dead render and the first live one, so live-target values agree.
    for (let i = 0; i < this.#dirty.length; i++) {
      const entry = this.#dirty[i] as Entry
      if (entry.isAlive && entry.isDirty) this.#render(entry)
    }
    this.#dirty = []
    this.#pass++
    return this.#changed.size > 0 || this.#removed.length > 0
  }

  /** The handler of `name` in component `cid`, or the coded error to reply with. */
  handler(cid: unknown, name: string): EventHandler | LiveError {
    const entry = typeof cid === 'number' ? this.#byCid.get(cid) : undefined
    if (!entry) return unknownTarget(this.#viewName, cid)
    return handlerFor(entry.component.events, name, `${entry.Component.name} "${entry.id}"`)
  }

  /**
   * The components' part of the next diff, `{cid: tree | diff | null}`: a full tree for one the
   * client has not seen, the diff of one it has, null for one destroyed. Undefined when nothing.
   */
  take(sink: TemplateSink): WireObject | undefined {
    let out: WireObject | undefined
    // Removals first: a cid removed and rendered again since (cids.ts) ends with its new tree.
    for (const cid of this.#removed) (out ??= {})[cid] = null
    this.#removed = []
    for (const entry of this.#changed) {
      const tree = entry.tree as TreeNode
      const wire = entry.sent === null ? encodeNode(tree, sink) : diffTree(entry.sent, tree, sink)
      entry.sent = tree
      if (wire !== undefined) (out ??= {})[entry.cid] = wire
    }
    this.#changed.clear()
    return out
  }

  #mount(Component: ComponentClass, id: string, props: object): Entry {
    const held = this.#cids.acquire(Component, id)
    const { slot } = held
    const component = new Component()
    const entry: Entry = {
      cid: slot.cid,
      id,
      Component,
      component,
      slot,
      held,
      props,
      parent: null,
      children: NO_CHILDREN,
      tree: null,
      sent: null,
      pass: 0,
      isDirty: true,
      isAlive: true,
    }
    LiveComponent.attach(component, new EntryHost(this, entry))
    LiveComponent.setState(component, { ...component.mount(props) })
    let byId = this.#byClass.get(Component)
    if (!byId) this.#byClass.set(Component, (byId = new Map()))
    byId.set(id, entry)
    this.#byCid.set(slot.cid, entry)
    this.#dirty.push(entry)
    return entry
  }

  /** @internal A component assigned: render it in the next settle. */
  markDirty(entry: Entry): void {
    if (entry.isDirty || !entry.isAlive) return
    entry.isDirty = true
    this.#dirty.push(entry)
  }

  #render(entry: Entry): void {
    const outer = this.#renderer
    const outerCalled = this.#called
    const outerCalls = this.#calls
    this.#renderer = entry
    this.#called = null
    this.#calls = []
    let tree: TreeNode
    let called: Set<Entry>
    try {
      tree = this.#sharedTree(entry) ?? this.#renderTree(entry)
      called = this.#called ?? NO_CHILDREN
    } finally {
      this.#renderer = outer
      this.#called = outerCalled
      this.#calls = outerCalls
    }
    entry.isDirty = false
    this.#adopt(entry, called)
    entry.tree = tree
    this.#changed.add(entry)
  }

  // Another view's render of this component from an equal state (sharing.ts): its tree and state
  // object are adopted and its component calls made again, here, on this view's children.
  #sharedTree(entry: Entry): TreeNode | null {
    const { component, held } = entry
    const shared = held.shared
    const render = shareableComponentRender(entry.Component)
    if (!shared || render === null || shared.render !== render || !isOwnRender(component, render)) return null
    const { state } = component
    if (shared.state !== state && !isSameValues(shared.state, state)) return null
    LiveComponent.setState(component, shared.state)
    this.#replay(shared.calls)
    return shared.tree
  }

  #renderTree(entry: Entry): TreeNode {
    const { component, held } = entry
    const state = component.state
    const tree = buildTree(renderIn(this, renderComponent, component))
    const render = shareableComponentRender(entry.Component)
    // Frozen: other views adopt this very object, so writing to it (not assign) must fail.
    if (render !== null && isOwnRender(component, render)) {
      held.shared = { render, state: Object.freeze(state), tree, calls: this.#calls }
    }
    return tree
  }

  // The renderer's children are now `next`: those it no longer renders (and did not move to
  // another renderer in the meantime) are destroyed.
  #adopt(renderer: Entry | null, next: Set<Entry>): void {
    const previous = renderer ? renderer.children : this.#viewChildren
    for (const entry of previous) if (!next.has(entry) && entry.parent === renderer) this.#destroy(entry)
    if (renderer) renderer.children = next
    else this.#viewChildren = next
  }

  #destroy(entry: Entry): void {
    entry.isAlive = false
    this.#byClass.get(entry.Component)?.delete(entry.id)
    this.#byCid.delete(entry.cid)
    this.#cids.release(entry.Component, entry.id)
    this.#changed.delete(entry)
    if (entry.sent !== null) this.#removed.push(entry.cid)
    for (const child of entry.children) if (child.parent === entry) this.#destroy(child)
  }
}

// What a component reaches of its view's components: one small object per component.
class EntryHost implements ComponentHost {
  readonly #components: Components
  readonly #entry: Entry
  constructor(components: Components, entry: Entry) {
    this.#components = components
    this.#entry = entry
  }
  get cid(): number {
    return this.#entry.cid
  }
  get id(): string {
    return this.#entry.id
  }
  markDirty(): void {
    this.#components.markDirty(this.#entry)
  }
  sendUpdate(Component: ComponentClass, id: string | number, props: object): void {
    this.#components.sendUpdate(Component, id, props)
  }
}

/** Calls a component's render and checks it gave one element (its patch target and marker). */
export const renderComponent = (component: LiveComponent<object, object>): Rendered => {
  const rendered = component.render(component.state)
  const root = (rendered as Partial<Rendered> | undefined)?.statics
  if (root && buildTree(rendered).template.rootOffset !== null) return rendered
  throw new LiveError(
    'component.bad-render',
    `${component.constructor.name}.render() must return html\`\` of one element, with no text or element beside it`,
  )
}

/** The handler for an event aimed at component `cid`, or the coded error to reply with. */
export const componentHandler = (
  components: Components | null,
  cid: unknown,
  name: string,
  viewName: string,
): EventHandler | LiveError => components?.handler(cid, name) ?? unknownTarget(viewName, cid)

const unknownTarget = (viewName: string, cid: unknown): LiveError =>
  new LiveError(
    'component.unknown-target',
    `${viewName} renders no component ${describeValue(cid)}; it was removed, or live-target names no component`,
  )

// The instance renders with the class's method and reaches no own `myself` or `id`.
const isOwnRender = (component: LiveComponent<object, object>, render: Function): boolean =>
  component.render === render && !Object.hasOwn(component, 'myself') && !Object.hasOwn(component, 'id')
