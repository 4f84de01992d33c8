/**
 * The list of team boards: open one, create one, rename or archive it. Every tab on this page
 * hears the list change (`boards`), so a board created elsewhere appears here at once.
 */
import { z } from 'zod'
import { each, html, LiveView, on, type MountContext, type Rendered } from 'switchboard'
import type { Boards } from '../board/boards.ts'
import { cleanLine } from '../board/model.ts'
import { BOARDS_TOPIC, isBoardsChanged, type BoardInfo } from '../board/process.ts'
import { boardHref } from './board/columns.ts'

export type BoardsState = {
  readonly boards: readonly BoardInfo[]
  readonly showArchived: boolean
  /** The board whose title is being edited. */
  readonly renaming: string | null
  readonly error: string | null
}

const TitleForm = z.object({ title: z.string().max(500) })
const RenameForm = z.object({ id: z.string().max(40), title: z.string().max(500) })
const IdClick = z.object({ id: z.string().max(40) })

const row = (b: BoardInfo, renaming: string | null): Rendered =>
  html`<li class="board-row ${b.archived ? 'is-archived' : ''}" data-board=${b.id}>${
    renaming === b.id
      ? html`<form class="rename" live-submit="rename">
          <input type="hidden" name="id" value=${b.id}>
          <label class="visually-hidden" for=${`rename-${b.id}`}>New title</label>
          <input id=${`rename-${b.id}`} name="title" value=${b.title} maxlength="120" required>
          <button type="submit" class="primary">Save</button>
          <button type="button" live-click="cancel-rename">Cancel</button>
        </form>`
      : html`<a class="board-link" href=${boardHref(b.id)} live-navigate>${b.title}</a>
        ${b.archived ? html`<span class="badge">archived</span>` : null}
        <span class="row-actions">
          <button type="button" live-click="start-rename" live-value-id=${b.id} aria-label=${`Rename ${b.title}`}>Rename</button>
          <button type="button" live-click="archive" live-value-id=${b.id} aria-label=${`${b.archived ? 'Restore' : 'Archive'} ${b.title}`}>${b.archived ? 'Restore' : 'Archive'}</button>
        </span>`
  }</li>`

/** The Boards view, bound to the boards. */
export const createBoardsView = (boards: Boards) =>
  class BoardsView extends LiveView<BoardsState> {
    async mount(context: MountContext): Promise<BoardsState> {
      if (context.isConnected) this.subscribe(BOARDS_TOPIC)
      return { boards: await boards.list(), showArchived: false, renaming: null, error: null }
    }

    title(): string {
      return 'Boards · Switchboard'
    }

    render({ boards: list, showArchived, renaming, error }: BoardsState): Rendered {
      const shown = list.filter((b) => showArchived || !b.archived)
      const archived = list.length - list.filter((b) => !b.archived).length
      return html`<section class="card boards">
        <h1>Team boards</h1>
        <form class="create-board row" live-submit="create">
          <label for="new-board" class="visually-hidden">Title of the new board</label>
          <input id="new-board" name="title" placeholder="New board title" maxlength="120" autocomplete="off">
          <button type="submit" class="primary">Create board</button>
        </form>
        ${error ? html`<p class="form-error" role="alert">${error}</p>` : null}
        <ul class="board-list">${each(shown, (b) => b.id, (b) => row(b, renaming))}</ul>
        ${shown.length === 0 ? html`<p class="empty">No boards yet: create one above.</p>` : null}
        <label class="show-archived"><input type="checkbox" live-click="toggle-archived" checked=${showArchived}> Show archived (${archived})</label>
      </section>`
    }

    handleInfo(message: unknown): void {
      if (isBoardsChanged(message)) this.assign({ boards: message.boards })
    }

    events = {
      create: on(TitleForm, async ({ title }) => {
        const clean = cleanLine(title)
        if (clean === '') return this.assign({ error: 'Give the board a title.' })
        const info = await boards.create(clean)
        this.pushNavigate(boardHref(info.id))
      }),
      'start-rename': on(IdClick, ({ id }) => this.assign({ renaming: id, error: null })),
      'cancel-rename': () => this.assign({ renaming: null }),
      rename: on(RenameForm, async ({ id, title }) => {
        const clean = cleanLine(title)
        if (clean === '') return this.assign({ error: 'A board needs a title.' })
        await boards.rename(id, clean)
        this.assign({ renaming: null, error: null, boards: await boards.list() })
      }),
      archive: on(IdClick, async ({ id }) => {
        const board = this.state.boards.find((b) => b.id === id)
        if (board) await boards.archive(id, !board.archived)
        this.assign({ boards: await boards.list() })
      }),
      'toggle-archived': () => this.assign({ showArchived: !this.state.showArchived }),
    }
  }
