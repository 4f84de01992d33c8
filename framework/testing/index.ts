/**
 * Mount a view without a browser or socket: send events and infos, read the HTML. The view
 * runs in a real ViewProcess (mailbox, render, diff), so what passes here passes live.
 *
 * ```ts
 * const live = await mountView(CounterView)
 * await live.event('inc')
 * expect(live.html()).toContain('Count: 1')
 * ```
 *
 * To test through the page (real client in happy-dom, queries by role, label and text, click,
 * fill, submit, settled) use `mount` (page.ts; docs/guides/testing.md).
 */
import { PubSub } from '../pubsub/index.ts'
import { PresenceTracker } from '../presence/index.ts'
import { observeStreams } from '../stream/index.ts'
import { applyStreamOps, treeToHtml, type StreamRow, type TreeNode } from '../template/index.ts'
import {
  ViewProcess,
  type MountContext,
  type EventName,
  type InfoOf,
  type InputArgs,
  type RenderOutput,
  type ViewClass,
  type ViewServices,
} from '../view/index.ts'
import type { LiveError } from '../errors.ts'
import type { UploadEntry } from '../upload/index.ts'
import { uploadFiles, type TestFile } from './upload.ts'

export type { TestFile } from './upload.ts'
export { mount, openPage } from './page.ts'
export type { MountedPage, OpenedPage, OpenPageOptions, PageMountOptions, PageQueries } from './page.ts'
export type { Role, RoleOptions, TextMatch } from './queries.ts'

/** A view mounted in memory. */
export type MountedView<V> = {
  readonly view: V
  /** The view's current HTML, with the rows its streams sent, as a browser would hold them. */
  html(): string
  /**
   * Sends a client event through the view's mailbox; resolves once it rendered. `tsc` checks the
   * name against the view's `events` and the value against that event's payload (EventPayload).
   */
  event<N extends EventName<V>>(name: N, ...value: InputArgs<V, N>): Promise<RenderOutput | null>
  /**
   * Sends an event to a component, as `live-target` does (`cid` is the number its `myself`
   * gives); checked by the component's handler only, at run time.
   */
  event(name: string, value: Record<string, unknown>, cid: number): Promise<RenderOutput | null>
  /** Sends a URL change (live patch). */
  patch(url: string): Promise<RenderOutput | null>
  /** Delivers a message to handleInfo and waits until it was handled; typed as handleInfo's. */
  info(message: InfoOf<V>): Promise<void>
  /** Pushes (pushEvent, pushPatch, redirect) the view made, oldest first. */
  readonly pushes: { event: string; payload: Record<string, unknown> }[]
  /**
   * The `{ reply }` values event handlers returned, oldest first, as the client's `pushEvent`
   * promise would receive them (through JSON). An event answered without a reply adds nothing.
   */
  readonly replies: unknown[]
  /** The crash that ended the view, if any. */
  readonly crash: LiveError | null
  /**
   * Chooses files for the view's upload `name` (allowUpload): checked and stored as over a
   * socket, ready for consumeUploads. Resolves with the new entries, refused ones included.
   */
  upload(name: string, files: readonly TestFile[]): Promise<UploadEntry[]>
  /** Ends the view as a closed tab would. */
  stop(): void
}

/** Options for mountView. */
export type MountOptions = {
  readonly params?: Record<string, string>
  readonly session?: Record<string, unknown>
  readonly url?: string
  /** The forms the browser sends on a rejoin, by form id (`MountContext.form`). */
  readonly form?: MountContext['form']
  /** Share services with other mounted views (pub/sub between them). */
  readonly services?: ViewServices
}

/** Mounts `View` as a connected view and returns handles to drive it. */
export const mountView = async <V extends ViewClass>(
  View: V,
  options: MountOptions = {},
): Promise<MountedView<InstanceType<V>>> => {
  const services = options.services ?? testServices()
  const pushes: { event: string; payload: Record<string, unknown> }[] = []
  const replies: unknown[] = []
  let crash: LiveError | null = null
  const process = new ViewProcess(View, services, {
    // In memory the diff has nowhere to go: taking it is what sending it does on a socket.
    changed: () => {
      process.takeDiff()
    },
    push: (event, payload) => {
      pushes.push({ event, payload })
    },
    crashed: (error) => {
      crash = error
    },
  })
  // The server forgets a stream's rows once sent; the browser keeps them, and so does this.
  const streamRows = new Map<string, StreamRow<TreeNode>[]>()
  observeStreams(process.view, (name, changes) => {
    const rows = streamRows.get(name) ?? []
    streamRows.set(name, applyStreamOps(rows, changes))
  })
  const printStream = (stream: { name: string }): string =>
    (streamRows.get(stream.name) ?? []).map(({ row }) => treeToHtml(row)).join('')
  const url = new URL(options.url ?? 'http://localhost/')
  const context: MountContext = {
    params: { ...Object.fromEntries(url.searchParams), ...options.params },
    session: options.session ?? {},
    isConnected: true,
    url,
    form: options.form ?? {},
  }
  await process.mount(context)
  const settle = (): Promise<void> => process.event('__settle__', {}).then(() => undefined, () => undefined)
  return {
    view: process.view as InstanceType<V>,
    html: () => {
      const tree = process.tree
      return tree ? treeToHtml(tree, { stream: printStream, components: (slot) => process.componentTree(slot) }) : ''
    },
    event: (name: string, value: unknown = {}, cid?: number) =>
      new Promise<RenderOutput | null>((resolve, reject) => {
        const answered = (output: RenderOutput | null, reply?: string): void => {
          if (reply !== undefined) replies.push(JSON.parse(reply))
          resolve(output)
        }
        process.postEvent(name, value, { resolve: answered, reject }, cid)
      }),
    patch: (to) => process.params(new URL(to, url)),
    info: async (message) => {
      process.info(message)
      await settle()
    },
    pushes,
    replies,
    get crash() {
      return crash
    },
    upload: (name, files) => uploadFiles(process, name, files),
    stop: () => process.stop('test stopped'),
  }
}

/** Fresh in-memory pub/sub and presence for tests. */
export const testServices = (): ViewServices & { presence: PresenceTracker } => {
  const pubsub = new PubSub()
  return { pubsub, presence: new PresenceTracker(pubsub) }
}
