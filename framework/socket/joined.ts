/**
 * What a socket holds per joined topic: a view or a channel, its process once mounted, and what
 * waits for the join's reply while it mounts.
 */
import type { LiveError } from '../errors.ts'
import type { ViewOutlet, ViewProcess } from '../view/index.ts'
import type { ChannelProcess } from './channel.ts'
import type { Inbound } from './frame.ts'

/** The connection as a ViewJoin sees it (kept to an interface: no import cycle). */
export type JoinHost = {
  viewChanged(joined: ViewJoin): void
  pushTo(joined: Joined, event: string, payload: unknown): void
  viewCrashed(joined: ViewJoin, error: LiveError): void
}

/**
 * What waits while a join mounts: the client's frames for it (issue 10, item 6) and the pushes
 * the mount makes (item 24); both go right after the join's reply. Rare, so null until used.
 */
export type Mounting = {
  early: Inbound[] | null
  held: [event: string, payload: unknown][] | null
}

/**
 * A view joined on a socket. It is also the view process's outlet: a broadcast reaching ten
 * thousand views then touches this record and the connection, not three closures per view.
 */
export class ViewJoin implements ViewOutlet, Mounting {
  readonly kind = 'view'
  readonly joinRef: string
  readonly topic: string
  /** Null while mounting. */
  process: ViewProcess | null = null
  /** False once removed from the socket; checked on every push instead of a map lookup. */
  isJoined = true
  early: Inbound[] | null = null
  held: [event: string, payload: unknown][] | null = null
  readonly #connection: JoinHost

  constructor(connection: JoinHost, joinRef: string, topic: string) {
    this.#connection = connection
    this.joinRef = joinRef
    this.topic = topic
  }

  changed(): void {
    this.#connection.viewChanged(this)
  }

  push(event: 'push' | 'patch' | 'navigate' | 'redirect', payload: Record<string, unknown>): void {
    this.#connection.pushTo(this, event, payload)
  }

  crashed(error: LiveError): void {
    this.#connection.viewCrashed(this, error)
  }
}

/** A channel joined on a socket; its process is null while `join` runs. */
export type ChannelJoin = Mounting & {
  kind: 'channel'
  joinRef: string
  topic: string
  process: ChannelProcess | null
  isJoined: boolean
}

/** A view or a channel joined on a socket. */
export type Joined = ViewJoin | ChannelJoin
