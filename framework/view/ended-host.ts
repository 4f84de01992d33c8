/**
 * The host a view holds once it has ended. Every helper of LiveView (subscribe, every, track…)
 * reaches its process through one getter, so swapping the host when the view ends is the one
 * gate all of them pass: a handler that awaited past the end of its view (the tab closed, a
 * crash) and then subscribes, sets a timer or tracks presence gets an inert answer instead of
 * a subscription, an interval or a ghost presence that nothing would ever release (issue 10,
 * item 11).
 *
 * What stays allowed: broadcast and broadcastFrom (a terminate announcing "left" is common and
 * holds nothing), listPresence (a read). Everything that would acquire something, push to a
 * client that is gone, or change a state nobody renders is a no-op; cancel functions are no-ops.
 */
import type { PubSub } from '../pubsub/index.ts'
import type { PresenceListing, ViewHost } from './live-view.ts'

const noop = (): void => {}

/** The services an ended view may still use: publishing and reading presence. */
type Remaining = {
  readonly pubsub: PubSub
  readonly presence?: { list(topic: string): PresenceListing } | undefined
}

/** An inert host for an ended view; see the module comment for what it still does. */
export class EndedHost implements ViewHost {
  readonly #services: Remaining
  readonly #owner: unknown

  constructor(services: Remaining, owner: unknown) {
    this.#services = services
    this.#owner = owner
  }

  get isConnected(): boolean {
    return true
  }

  broadcast(topic: string, message: unknown): Promise<void> {
    return this.#services.pubsub.broadcast(topic, message)
  }

  broadcastFrom(topic: string, message: unknown): Promise<void> {
    return this.#services.pubsub.broadcastFrom(this.#owner, topic, message)
  }

  listPresence(topic: string): PresenceListing {
    return this.#services.presence?.list(topic) ?? {}
  }

  markDirty = noop
  subscribe = (): (() => void) => noop
  track = noop
  untrack = noop
  updatePresence = noop
  sendAfter = (): (() => void) => noop
  every = (): (() => void) => noop
  pushEvent = noop
  pushPatch = noop
  pushNavigate = noop
  redirect = noop
  putFlash = noop
  clearFlash = noop
  sendUpdate = noop
  startAsync = noop
  cancelAsync = (): boolean => false
}
