/**
 * Work shared between instances of one view class. `render(state)` is a pure function of the
 * state, so when a broadcast leaves many views holding the same values (by reference: the
 * message's own objects), the first view renders, builds the tree, diffs and encodes; the others
 * find the result here, adopt its state object in place of their equal copy, and write the same
 * frame bytes. What a view keeps from one broadcast to the next is then shared too, so ten
 * thousand views do not leave ten thousand state objects for the collector to age. One entry
 * per class is enough: a broadcast is handled by every subscribed view in a row.
 *
 * A view class opts out with `static shareRenders = false` (for a render that reads anything
 * besides its state).
 */
import { toJson, type Wire, type TemplateSink } from '../diff/index.ts'
import type { TreeNode } from '../template/index.ts'

/** A render or diff ready to send; its JSON is encoded once however many sockets send it. */
export class RenderOutput {
  readonly wire: Wire
  readonly templates: TemplateSink
  #json: string | undefined
  constructor(wire: Wire, templates: TemplateSink) {
    this.wire = wire
    this.templates = templates
  }
  /** The wire value as JSON, encoded on first use. */
  get json(): string {
    return (this.#json ??= toJson(this.wire))
  }

  #pushFrames: Map<string, Buffer> | undefined
  /**
   * The short diff push `[joinRef,diff]` as UTF-8 bytes. Views joined under the same joinRef (one
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

type Renders = { state: object; tree: TreeNode }
type Diffs = { prev: TreeNode; next: TreeNode; output: RenderOutput | null }

const renders = new WeakMap<object, Renders>()
const diffs = new WeakMap<object, Diffs>()

const isSharing = (viewClass: object): boolean =>
  (viewClass as { shareRenders?: unknown }).shareRenders !== false

// Same own keys, each value identical: render(state) cannot tell the two states apart.
const isSameState = (a: object, b: object): boolean => {
  let count = 0
  for (const key in a) {
    if (!Object.hasOwn(b, key) || (a as Record<string, unknown>)[key] !== (b as Record<string, unknown>)[key]) {
      return false
    }
    count++
  }
  for (const key in b) if (Object.hasOwn(b, key)) count--
  return count === 0
}

/**
 * The render another view of the class made from an identical state, if any: its state object
 * and its tree. The caller adopts that state object in place of its own equal one, so ten
 * thousand views that took the same broadcast keep one state between them, not one each.
 */
export const sharedRender = (viewClass: object, state: object): Renders | undefined => {
  if (!isSharing(viewClass)) return undefined
  const last = renders.get(viewClass)
  return last && (last.state === state || isSameState(last.state, state)) ? last : undefined
}

/**
 * Records a fresh render for the next view of the class. The state is frozen first: other views
 * may adopt this very object, so writing to it (instead of `assign`) must fail, not leak.
 */
export const shareRender = (viewClass: object, state: object, tree: TreeNode): void => {
  if (isSharing(viewClass)) renders.set(viewClass, { state: Object.freeze(state), tree })
}

/** The diff another view of the class computed between the same two trees, if any. */
export const sharedDiff = (
  viewClass: object,
  prev: TreeNode,
  next: TreeNode,
): RenderOutput | null | undefined => {
  const last = diffs.get(viewClass)
  return last && last.prev === prev && last.next === next ? last.output : undefined
}

/** Records a diff for the next view of the class with the same trees. */
export const shareDiff = (
  viewClass: object,
  prev: TreeNode,
  next: TreeNode,
  output: RenderOutput | null,
): void => {
  if (prev !== next) diffs.set(viewClass, { prev, next, output })
}
