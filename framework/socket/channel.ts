/**
 * Generic channels: user-defined topics on the same socket as views, for apps that want plain
 * messages instead of rendered HTML (a chat, a game, a feed for a client-side widget).
 *
 * ```ts
 * class RoomChannel extends Channel {
 *   join(params, ctx) { if (!ctx.session.user) throw refuse('log in first'); return { ok: 1 } }
 *   handleIn(event, payload) { this.broadcast('said', payload); return { sent: true } }
 * }
 * ```
 */
import { errorMessage, LiveError } from '../errors.ts'
import { containResult, defaultReporter, Mailbox, type ErrorContext } from '../runtime/index.ts'
import { replyJson } from '../schema/index.ts'
import type { PresenceListing, ViewServices } from '../view/index.ts'

/** What a channel learns when a client joins it. */
export type ChannelContext = {
  readonly topic: string
  readonly session: Readonly<Record<string, unknown>>
}

/** Thrown from `join` to refuse a client; the reason reaches it in the error reply. */
export class JoinRefused extends LiveError {
  constructor(reason: string) {
    super('socket.join-refused', reason)
  }
}

/** Refuses a channel join with a reason the client sees: `throw refuse('not allowed')`. */
export const refuse = (reason: string): JoinRefused => new JoinRefused(reason)

/** What a channel uses to reach its client and topic; set by the socket. */
type ChannelHost = {
  push(event: string, payload: unknown): void
  broadcast(event: string, payload: unknown, isFromSelf: boolean): Promise<void>
  subscribe(topic: string): () => void
  track(key: string, meta: Record<string, unknown>): void
  untrack(key: string): void
  listPresence(): PresenceListing
}

/** Base class for a channel; one instance per joined client and topic. */
export abstract class Channel {
  #host: ChannelHost | undefined
  #topic = ''

  /** The joined topic, e.g. `room:lobby`. */
  get topic(): string {
    return this.#topic
  }

  /** Authorises the join; return the reply payload or throw refuse(reason). */
  join?(params: Record<string, unknown>, context: ChannelContext): unknown | Promise<unknown>

  /**
   * An event from the client; the return value is the reply (undefined → `{}`). A value JSON
   * cannot carry (a BigInt, a cycle) is answered `view.bad-reply`; the channel keeps running.
   */
  handleIn?(event: string, payload: Record<string, unknown>): unknown | Promise<unknown>

  /** Any other message: subscriptions the channel took with `subscribe`, or `send`. */
  handleInfo?(message: unknown): void | Promise<void>

  /** Called once when the client leaves or disconnects; a rejection (async) is reported. */
  terminate?(reason: string): void | Promise<void>

  /** Sends an event to this client alone. */
  push(event: string, payload: unknown): void {
    this.#use().push(event, payload)
  }

  /** Sends an event to every client joined to this topic, this one included. */
  broadcast(event: string, payload: unknown): Promise<void> {
    return this.#use().broadcast(event, payload, true)
  }

  /** Sends an event to every client joined to this topic but this one. */
  broadcastFrom(event: string, payload: unknown): Promise<void> {
    return this.#use().broadcast(event, payload, false)
  }

  /** Subscribes to another pub/sub topic; messages arrive in handleInfo. */
  subscribe(topic: string): () => void {
    return this.#use().subscribe(topic)
  }

  /** Tracks this client's presence on the channel topic; removed when it leaves. */
  track(key: string, meta: Record<string, unknown>): void {
    this.#use().track(key, meta)
  }

  /** Removes this client's presence under `key`. */
  untrack(key: string): void {
    this.#use().untrack(key)
  }

  /** Who is present on this topic. */
  listPresence(): PresenceListing {
    return this.#use().listPresence()
  }

  #use(): ChannelHost {
    if (!this.#host) throw new LiveError('view.not-mounted', `${this.constructor.name} is not joined`)
    return this.#host
  }

  /** @internal Wires a channel to its socket; called by ChannelProcess only. */
  static attach(channel: Channel, topic: string, host: ChannelHost): void {
    channel.#topic = topic
    channel.#host = host
  }
}

/** A Channel subclass constructible with no arguments. */
export type ChannelClass = new () => Channel

/** A broadcast on a channel topic, as carried by pub/sub. */
type ChannelBroadcast = { readonly channelEvent: string; readonly payload: unknown }
const isChannelBroadcast = (m: unknown): m is ChannelBroadcast =>
  typeof m === 'object' && m !== null && typeof (m as ChannelBroadcast).channelEvent === 'string'

/**
 * Where a channel event's reply goes, as JSON: `error` set when the handler failed, its reply
 * cannot be sent as JSON (`view.bad-reply`), or the channel ended.
 */
type ChannelReply = (replyJson: string, error?: LiveError) => void

type ChannelMessage =
  | { kind: 'in'; event: string; payload: Record<string, unknown>; done: ChannelReply }
  | { kind: 'info'; message: unknown }

/** Runs one joined channel as a process: one message at a time, resources released on end. */
export class ChannelProcess {
  readonly channel: Channel
  readonly #services: ViewServices
  readonly #owner = {}
  readonly #mailbox: Mailbox<ChannelMessage>
  readonly #send: (event: string, payload: unknown) => void
  readonly #onCrash: (error: LiveError) => void
  #isEnded = false

  constructor(
    Class: ChannelClass,
    topic: string,
    services: ViewServices,
    send: (event: string, payload: unknown) => void,
    onCrash: (error: LiveError) => void,
  ) {
    this.channel = new Class()
    this.#services = services
    this.#send = send
    this.#onCrash = onCrash
    this.#mailbox = new Mailbox<ChannelMessage>(
      (msg) => this.#handle(msg),
      (error, msg) => {
        const crash = new LiveError('view.crashed', `${Class.name} threw: ${errorMessage(error)}`, { cause: error })
        if (msg.kind === 'in') msg.done('', crash)
        this.#report(crash, { kind: 'crash', level: 'error', topic, name: Class.name })
        this.stop('crash')
        this.#onCrash(crash)
      },
      // Events queued behind a crash or a leave are answered, never left hanging.
      (msg) => {
        if (msg.kind === 'in') msg.done('', this.#endedError())
      },
    )
    const owner = this.#owner
    Channel.attach(this.channel, topic, {
      push: (event, payload) => this.#send(event, payload),
      broadcast: (event, payload, isFromSelf) => {
        const message: ChannelBroadcast = { channelEvent: event, payload }
        return isFromSelf
          ? services.pubsub.broadcast(topic, message)
          : services.pubsub.broadcastFrom(owner, topic, message)
      },
      subscribe: (other) => services.pubsub.subscribe(other, (m) => this.#info(m), { owner }),
      track: (key, meta) => void services.presence?.track(owner, topic, key, meta),
      untrack: (key) => void services.presence?.untrack(owner, topic, key),
      listPresence: () => services.presence?.list(topic) ?? {},
    })
  }

  /** Runs the channel's join; resolves with its reply or rejects with the refusal. */
  async join(params: Record<string, unknown>, context: ChannelContext): Promise<unknown> {
    try {
      const reply = await this.channel.join?.(params, context)
      // Broadcasts on the topic reach the client; presence diffs on it too. Not for a channel
      // stopped while join awaited: nothing would release the subscription.
      if (this.#isEnded) throw new LiveError('socket.unknown-topic', 'the channel ended while joining')
      this.#services.pubsub.subscribe(context.topic, (m) => this.#fromTopic(m), { owner: this.#owner })
      return reply ?? {}
    } catch (error) {
      this.stop('join failed')
      if (error instanceof LiveError) throw error
      throw new LiveError('view.crashed', `${this.channel.constructor.name}.join threw: ${errorMessage(error)}`)
    }
  }

  /** Delivers a client event; resolves with the JSON of the handler's reply. */
  handleIn(event: string, payload: Record<string, unknown>): Promise<string> {
    return new Promise((resolve, reject) => {
      this.postIn(event, payload, (reply, error) => (error ? reject(error) : resolve(reply)))
    })
  }

  /** As handleIn, calling `done` in the step the handler's reply is known. */
  postIn(event: string, payload: Record<string, unknown>, done: ChannelReply): void {
    if (!this.#mailbox.post({ kind: 'in', event, payload, done })) done('', this.#endedError())
  }

  #endedError(): LiveError {
    return new LiveError('socket.unknown-topic', `${this.channel.constructor.name} has ended`)
  }

  /** Ends the channel and releases its subscriptions and presences. */
  stop(reason: string): void {
    if (this.#isEnded) return
    this.#isEnded = true
    this.#mailbox.close()
    this.#services.pubsub.unsubscribeOwner(this.#owner)
    this.#services.presence?.untrackOwner(this.#owner)
    // The one gate of every Channel helper (#use): once ended it reaches an inert host, so work
    // a handler does after an await can take nothing that would outlive the channel.
    Channel.attach(this.channel, this.channel.topic, endedHost(this.#services, this.#owner, this.channel.topic))
    const name = this.channel.constructor.name
    const onError = (error: unknown): void =>
      this.#report(error, { kind: 'terminate', level: 'error', topic: this.channel.topic, name })
    try {
      containResult(this.channel.terminate?.(reason), onError)
    } catch (error) {
      onError(error)
    }
  }

  #report(error: unknown, context: ErrorContext): void {
    ;(this.#services.report ?? defaultReporter)(error, context)
  }

  #fromTopic(message: unknown): void {
    if (isChannelBroadcast(message)) this.#send(message.channelEvent, message.payload)
    else if (isPresenceDiff(message)) this.#send('presence_diff', message)
    else this.#info(message)
  }

  #info(message: unknown): void {
    this.#mailbox.post({ kind: 'info', message })
  }

  #handle(msg: ChannelMessage): void | Promise<void> {
    if (msg.kind === 'info') return this.channel.handleInfo?.(msg.message)
    if (!this.channel.handleIn) {
      msg.done('', new LiveError('view.no-handler', `${this.channel.constructor.name} takes no events`))
      return
    }
    return Promise.resolve(this.channel.handleIn(msg.event, msg.payload)).then((reply) => {
      let json: string
      try {
        json = replyJson({ reply: reply ?? {} }) ?? '{}'
      } catch (error) {
        // As for a view: only this answer failed, the channel keeps running.
        return msg.done('', error as LiveError)
      }
      msg.done(json)
    })
  }
}

const noop = (): void => {}

// What an ended channel may still do: publish on its topic (a terminate saying goodbye holds
// nothing) and read presence. Pushing to a client that left, subscribing and tracking are no-ops.
const endedHost = (services: ViewServices, owner: object, topic: string): ChannelHost => ({
  push: noop,
  broadcast: (event, payload, isFromSelf) => {
    const message: ChannelBroadcast = { channelEvent: event, payload }
    return isFromSelf
      ? services.pubsub.broadcast(topic, message)
      : services.pubsub.broadcastFrom(owner, topic, message)
  },
  subscribe: () => noop,
  track: noop,
  untrack: noop,
  listPresence: () => services.presence?.list(topic) ?? {},
})

const isPresenceDiff = (m: unknown): boolean =>
  typeof m === 'object' && m !== null && (m as { event?: unknown }).event === 'presence_diff'

