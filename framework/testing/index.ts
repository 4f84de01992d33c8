/**
 * Mount a view without a browser or socket: send events and infos, read the HTML. The view
 * runs in a real ViewProcess (mailbox, render, diff), so what passes here passes live.
 *
 * ```ts
 * const live = await mountView(CounterView)
 * await live.event('inc')
 * expect(live.html()).toContain('Count: 1')
 * ```
 */
import { PubSub } from '../pubsub/index.ts'
import { PresenceTracker } from '../presence/index.ts'
import { treeToHtml } from '../template/index.ts'
import {
  ViewProcess,
  type MountContext,
  type RenderOutput,
  type ViewClass,
  type ViewServices,
} from '../view/index.ts'
import type { LiveError } from '../errors.ts'

/** A view mounted in memory. */
export type MountedView<V> = {
  readonly view: V
  /** The view's current HTML. */
  html(): string
  /** Sends a client event through the view's mailbox; resolves once it rendered. */
  event(name: string, value?: Record<string, unknown>): Promise<RenderOutput | null>
  /** Sends a URL change (live patch). */
  patch(url: string): Promise<RenderOutput | null>
  /** Delivers a message to handleInfo and waits until it was handled. */
  info(message: unknown): Promise<void>
  /** Pushes (pushEvent, pushPatch, redirect) the view made, oldest first. */
  readonly pushes: { event: string; payload: Record<string, unknown> }[]
  /** The crash that ended the view, if any. */
  readonly crash: LiveError | null
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
  let crash: LiveError | null = null
  const process = new ViewProcess(View, services, {
    changed: () => void process.takeDiff(),
    push: (event, payload) => void pushes.push({ event, payload }),
    crashed: (error) => {
      crash = error
    },
  })
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
      return tree ? treeToHtml(tree) : ''
    },
    event: (name, value = {}) => process.event(name, value),
    patch: (to) => process.params(new URL(to, url)),
    info: async (message) => {
      process.info(message)
      await settle()
    },
    pushes,
    get crash() {
      return crash
    },
    stop: () => process.stop('test stopped'),
  }
}

/** Fresh in-memory pub/sub and presence for tests. */
export const testServices = (): ViewServices & { presence: PresenceTracker } => {
  const pubsub = new PubSub()
  return { pubsub, presence: new PresenceTracker(pubsub) }
}
