/**
 * What a view tells the page outside its own root: the document title and the flash. Neither is
 * part of the view's tree (the <title> sits in <head>, the flash region in the layout), so they
 * travel beside the diff as top-level keys, `"ti"` and `"f"` (docs/protocol.md), and never
 * inside a tree or a diff that views share: a broadcast's diff stays one buffer for every view,
 * and only a view whose own title or flash changed writes a frame of its own. A view with no
 * `title()` that never flashes never creates one of these.
 *
 * Flash is one-time: a message is sent once (in a reply, a diff or the join reply) and then
 * forgotten, so a reload or a rejoin never shows it again. A message not yet shown when the view
 * redirects goes with the redirect, signed, to the next page (see `takeForRedirect`).
 */

/** Flash messages by kind (`info`, `error` or any string the layout styles). */
export type Flash = Readonly<Record<string, string>>

/** The flash kinds a message may use: any string, with the two every layout styles named. */
export type FlashKind = 'info' | 'error' | (string & {})

/** The longest flash message kept; a longer one is cut, never sent or signed in full. */
export const MAX_FLASH_CHARS = 1000

/** A view's title and flash changes not yet sent. */
export class PageMeta {
  #title: string | undefined
  #sentTitle: string | undefined
  // A durable view's snapshot version (durable.ts), sent as `"sv"` whenever it changes.
  #version = 0
  #sentVersion = 0
  // Per kind: the message to show, or null to remove it. Empty once sent.
  // No prototype: a kind is any string, `__proto__` included.
  #changes: Record<string, string | null> = Object.create(null)
  #hasChanges = false
  // Kinds the client was last told to show, so clearFlash() can remove them all.
  readonly #shown = new Set<string>()

  /** The title the view's latest render gave. */
  setTitle(title: string): void {
    this.#title = title
  }

  /** The snapshot version of a durable view's latest render. */
  setVersion(version: number): void {
    this.#version = version
  }

  /** The latest title, sent or not. */
  get title(): string | undefined {
    return this.#title
  }

  putFlash(kind: string, message: string): void {
    this.#changes[kind] = String(message).slice(0, MAX_FLASH_CHARS)
    this.#hasChanges = true
  }

  clearFlash(kind?: string): void {
    const kinds = kind === undefined ? [...this.#shown, ...Object.keys(this.#changes)] : [kind]
    for (const k of kinds) this.#changes[k] = null
    this.#hasChanges = kinds.length > 0
  }

  /** True when a title or flash change waits to be sent. */
  get isChanged(): boolean {
    return this.#hasChanges || this.#title !== this.#sentTitle || this.#version !== this.#sentVersion
  }

  /**
   * The changes as JSON members for the payload (`"ti":"…","sv":n,"f":{…}`), or '' when there are none;
   * from here on they count as sent.
   */
  take(): string {
    let json = ''
    if (this.#title !== this.#sentTitle && this.#title !== undefined) {
      json = `"ti":${JSON.stringify(this.#title)}`
    }
    this.#sentTitle = this.#title
    if (this.#version !== this.#sentVersion) {
      json += `${json ? ',' : ''}"sv":${this.#version}`
      this.#sentVersion = this.#version
    }
    if (this.#hasChanges) {
      json += `${json ? ',' : ''}"f":${JSON.stringify(this.#changes)}`
      for (const [kind, message] of Object.entries(this.#changes)) {
        if (message === null) this.#shown.delete(kind)
        else this.#shown.add(kind)
      }
      this.#changes = Object.create(null)
      this.#hasChanges = false
    }
    return json
  }

  /** The messages put and not yet shown, taken: a redirect carries them to the next page. */
  takeForRedirect(): Flash | null {
    const flash = this.pendingFlash()
    this.#changes = Object.create(null)
    this.#hasChanges = false
    return flash
  }

  /** The messages put and not yet shown (the dead render prints them), or null. */
  pendingFlash(): Flash | null {
    const entries = Object.entries(this.#changes).filter(
      (entry): entry is [string, string] => entry[1] !== null,
    )
    return entries.length > 0 ? Object.fromEntries(entries) : null
  }
}
