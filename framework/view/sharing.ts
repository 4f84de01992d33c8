/**
 * Work shared between instances of one view class. When a broadcast leaves many views holding
 * the same values (by reference: the message's own objects), the first view renders, builds the
 * tree, diffs and encodes; the others find the result here, adopt its state object in place of
 * their equal copy, and write the same frame bytes. What a view keeps from one broadcast to the
 * next is then shared too, so ten thousand views do not leave ten thousand state objects for the
 * collector to age. One entry per class is enough: a broadcast is handled by every subscribed
 * view in a row.
 *
 * This must never show one user what another user's view rendered. So a class shares only when
 * its render provably sees nothing but the state it is given, decided once per class from the
 * code itself (see `shareableRender`): the render is a method of the class (an own `render` of
 * the instance, such as a class-field arrow or a closure assigned in the constructor, may hold
 * per-instance data), written in JavaScript (not bound or native), and its source never says
 * `this`, `super` or `eval` — without them a method cannot reach the instance's fields, private
 * fields or getters. A view that reads `this.user` in render simply renders alone. The cache
 * is dropped when the last view of the class ends, so nothing a user typed outlives their views.
 * `static shareRenders = false` opts a class out.
 *
 * A view that uses a stream (framework/stream) never shares, whatever its render says: its tree
 * carries rows queued for it alone, taken by the one diff that sends them, so another view's
 * render or diff must never stand in for its own, nor its own for another's (`isStreaming`).
 *
 * Stateful components (framework/component) are not shared: a view's tree holds only their
 * places, the same object in every view of the class for one component (component/cids.ts), and
 * the render's component calls are kept beside it for a view that adopts it to replay on its own
 * components, whose states, trees and diffs never leave that view's frame.
 */
import { isSameValues, pureRender, type ComponentCall } from '../component/index.ts'
import { toJson, type Wire, type TemplateSink, type WireObject } from '../diff/index.ts'
import type { TreeNode } from '../template/index.ts'
import { LiveView } from './live-view.ts'

// A positional node diff (`[change, null, …]`, framework/diff) as the keyed form, so that `c` can
// sit beside its slots.
const asObject = (wire: Wire): WireObject | null => {
  if (!Array.isArray(wire)) return wire as WireObject | null
  const out: WireObject = {}
  wire.forEach((change, i) => change !== null && (out[i] = change))
  return out
}

/**
 * A render or diff ready to send; its JSON is encoded once however many sockets send it. `meta`
 * holds one view's own payload members (`"ti"`, `"f"`: page-meta.ts), never shared; a wire of
 * null is an output with no tree change, sent for its meta alone.
 */
export class RenderOutput {
  readonly wire: Wire
  readonly templates: TemplateSink
  readonly meta: string
  #json: string | undefined
  constructor(wire: Wire, templates: TemplateSink, meta = '') {
    this.wire = wire
    this.templates = templates
    this.meta = meta
  }

  /** This output with one view's meta members added; the shared one is left as it was. */
  withMeta(meta: string): RenderOutput {
    return meta ? new RenderOutput(this.wire, this.templates, meta) : this
  }

  /**
   * This output with one view's component changes added under `c` (framework/component): a new
   * output for that view alone; the shared one is left as it was.
   */
  withComponents(c: WireObject | undefined, templates: TemplateSink): RenderOutput {
    if (c === undefined) return this
    for (const template of this.templates) templates.add(template)
    return new RenderOutput({ ...asObject(this.wire), c }, templates, this.meta)
  }

  /** The payload `{"t":…,"r"|"d":…,"ti":…,"f":…}`; `table` is the statics not yet sent. */
  body(key: 'r' | 'd', table: object | undefined): string {
    const members = table ? [`"t":${JSON.stringify(table)}`] : []
    if (this.wire !== null) members.push(`"${key}":${this.json}`)
    if (this.meta) members.push(this.meta)
    return `{${members.join(',')}}`
  }
  /** The wire value as JSON, encoded on first use. */
  get json(): string {
    return (this.#json ??= toJson(this.wire))
  }

  #pushFrames: Map<string, Buffer> | undefined
  /**
   * The short diff push `[joinRef,diff]` as UTF-8 bytes (an output with meta has no short form). Views joined under the same joinRef (one
   * view per tab: nearly always "1") send the very same buffer, so a broadcast's frame is made
   * once, not once per socket. A few distinct joinRefs are kept; past that each is made fresh.
   */
  pushFrame(joinRef: string): Buffer {
    const frames = (this.#pushFrames ??= new Map())
    let frame = frames.get(joinRef)
    if (frame === undefined) {
      frame = Buffer.from(`[${JSON.stringify(joinRef)},${this.json}]`)
      if (frames.size < MAX_PUSH_FRAMES) frames.set(joinRef, frame)
    }
    return frame
  }
}

const MAX_PUSH_FRAMES = 8

type Render = LiveView<object>['render']

// `calls`: the component calls the render made; a view adopting it replays them.
type Renders = { render: Render; state: object; tree: TreeNode; calls: readonly ComponentCall[] }
type Diffs = { prev: TreeNode; next: TreeNode; output: RenderOutput | null }

const renders = new WeakMap<object, Renders>()
const diffs = new WeakMap<object, Diffs>()
const liveViews = new WeakMap<object, number>()
const verdicts = new WeakMap<object, Render | null>()

/**
 * The render views of the class may share, or null: decided once per class from its code (see
 * the header). The caller still checks that a view's `render` is this very function, which
 * rules out an own `render` on the instance however it got there.
 */
export const shareableRender = (viewClass: Function): Render | null => {
  let verdict = verdicts.get(viewClass)
  if (verdict === undefined) {
    verdict = judge(viewClass)
    verdicts.set(viewClass, verdict)
  }
  return verdict
}

const STATE_GETTER = Object.getOwnPropertyDescriptor(LiveView.prototype, 'state')?.get

// A redefined `state` getter decides what render is given: it could mix in instance data.
const judge = (viewClass: Function): Render | null =>
  pureRender(viewClass, [['state', STATE_GETTER]]) as Render | null

// The one gate for streams: every sharing path below asks it first.
const isStreaming = (view: LiveView<object>): boolean => LiveView.streamsOf(view) !== undefined

/**
 * The render another view of the class made from an identical state, if any: its state object
 * and its tree. The caller adopts that state object in place of its own equal one, so ten
 * thousand views that took the same broadcast keep one state between them, not one each.
 */
export const sharedRender = (view: LiveView<object>, state: object): Renders | undefined => {
  const last = renders.get(view.constructor)
  // Only a shareable render is ever recorded; the view must be calling that very function.
  if (last === undefined || last.render !== view.render || isStreaming(view)) return undefined
  return last.state === state || isSameValues(last.state, state) ? last : undefined
}

/**
 * Records a fresh render for the next view of the class, if its views may share. The state is
 * frozen first: other views may adopt this very object, so writing to it (instead of `assign`)
 * must fail, not leak.
 */
export const shareRender = (
  view: LiveView<object>,
  state: object,
  tree: TreeNode,
  calls: readonly ComponentCall[],
): void => {
  const render = shareableRender(view.constructor)
  if (render !== null && render === view.render && !isStreaming(view)) {
    renders.set(view.constructor, { render, state: Object.freeze(state), tree, calls })
  }
}

/** The diff another view of the class computed between the same two trees, if any. */
export const sharedDiff = (
  view: LiveView<object>,
  prev: TreeNode,
  next: TreeNode,
): RenderOutput | null | undefined => {
  const last = diffs.get(view.constructor)
  if (isStreaming(view)) return undefined
  return last && last.prev === prev && last.next === next ? last.output : undefined
}

/**
 * Records a diff for the next view of the class with the same trees. Only views that share
 * renders ever hold the same trees, so only their diffs are kept.
 */
export const shareDiff = (
  view: LiveView<object>,
  prev: TreeNode,
  next: TreeNode,
  output: RenderOutput | null,
): void => {
  if (prev !== next && shareableRender(view.constructor) === view.render && !isStreaming(view)) {
    diffs.set(view.constructor, { prev, next, output })
  }
}

/** Counts a view of the class as running; see viewEnded. */
export const viewStarted = (viewClass: Function): void => {
  liveViews.set(viewClass, (liveViews.get(viewClass) ?? 0) + 1)
}

/**
 * Counts a view of the class as ended. With the last one gone, its renders and diffs go too:
 * they hold what some user saw or typed (a password in a signup form), and nobody needs them.
 */
export const viewEnded = (viewClass: Function): void => {
  const count = (liveViews.get(viewClass) ?? 1) - 1
  if (count > 0) return void liveViews.set(viewClass, count)
  liveViews.delete(viewClass)
  renders.delete(viewClass)
  diffs.delete(viewClass)
}
