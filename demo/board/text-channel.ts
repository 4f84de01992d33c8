/**
 * The channel a description editor talks over, `card-text:<board>:<card>`: joining answers with
 * the card's document, an `update` from one tab is merged by the board process and passed on to
 * the card's other tabs, and `sync` answers a tab's state vector with what it lacks (after a
 * reconnect, or when an update arrived before one it depends on).
 */
import { Channel, refuse, type ChannelContext } from 'switchboard'
import type { Boards } from './boards.ts'
import { textMissing, textState } from './text.ts'
import { userOf } from './user.ts'

/** The channel topic of a card's description. */
export const cardTextTopic = (board: string, card: string): string => `card-text:${board}:${card}`

const TOPIC = /^card-text:([a-z0-9]{1,20}):([a-z0-9]{1,20})$/

/** The channel class, bound to the boards (read when a tab joins: they start after the server). */
export const createCardTextChannel = (boards: () => Boards | undefined) =>
  class CardTextChannel extends Channel {
    #board = ''
    #card = ''
    #by = ''

    async join(_params: Record<string, unknown>, { topic, session }: ChannelContext) {
      const [, board = '', card = ''] = TOPIC.exec(topic) ?? []
      const found = await this.#read(board, card)
      if (!found) throw refuse('no such card')
      this.#board = board
      this.#card = card
      this.#by = userOf(typeof session.user === 'string' ? session.user : 'uanonymous').name
      return { state: textState(found.state, found.description) }
    }

    async handleIn(event: string, payload: Record<string, unknown>) {
      const all = boards()
      if (!all) return { ok: false, reason: 'starting' }
      if (event === 'update' && typeof payload.update === 'string') {
        const op = { kind: 'text', card: this.#card, update: payload.update, by: this.#by } as const
        const result = await all.apply(this.#board, op)
        if (!result.ok) return { ok: false, reason: result.reason }
        void this.broadcastFrom('update', { update: payload.update }).catch(() => {})
        return { ok: true }
      }
      if (event === 'sync' && typeof payload.vector === 'string') {
        const found = await this.#read(this.#board, this.#card)
        if (!found) return { ok: false, reason: 'no-card' }
        return { ok: true, update: textMissing(found.state, found.description, payload.vector) }
      }
      return { ok: false, reason: 'unknown-event' }
    }

    async #read(board: string, card: string): Promise<{ state: string | undefined; description: string } | null> {
      const current = await boards()?.board(board).catch(() => null)
      const found = current?.cards[card]
      return current && found ? { state: current.texts[card], description: found.fields.description.value } : null
    }
  }
