/**
 * The layout's flash region, `#sb-flash` (the server's layout prints it outside the live roots).
 * A view's flash arrives as `"f"` beside a diff, `{kind: message | null}`, and shows here; a
 * click on a message removes it. The server sends a message once, so a reload never brings it
 * back. A redirect's flash travels to the next page as a value the server signed, kept for one
 * minute in a cookie the next page's dead render reads and clears (docs/protocol.md).
 *
 * All of that is a chunk (client/flash-region.ts), loaded with the first flash a page shows or
 * carries, and at boot when the dead render printed a message (for its dismissal).
 */
import { loadChunk, preload, withChunk } from './chunks.ts'
import { redirect } from './navigation.ts'

type FlashRegion = { showFlash(f: object): void; carryFlash(signed: unknown): void }

/** Applies an `"f"` value: each kind shows its message, or goes when it is null. */
export const showFlash = (f: unknown): void => {
  if (typeof f === 'object' && f) withChunk<FlashRegion>('flash', (chunk) => chunk.showFlash(f))
}

/**
 * A redirect: loads `to` as a page, after keeping its signed flash (base64url.mac), if any, for
 * that page. A flash chunk that fails to load loses the flash, never the redirect.
 */
export const redirectWithFlash = (to: unknown, signed: unknown): void => {
  if (!signed) return redirect(to)
  loadChunk<FlashRegion>('flash')
    .then((chunk) => chunk.carryFlash(signed), console.error)
    .then(() => redirect(to))
}

/** At boot: a message the dead render printed is dismissed by the chunk. */
export const bindFlash = (): void => {
  if (document.querySelector(`#sb-flash .sb-flash`)) preload('flash')
}
