/**
 * The layout's flash region, `#sb-flash` (the server's layout prints it outside the live roots).
 * A view's flash arrives as `"f"` beside a diff, `{kind: message | null}`, and shows here; a
 * click on a message removes it. The server sends a message once, so a reload never brings it
 * back. A redirect's flash travels to the next page as a value the server signed, kept for one
 * minute in a cookie the next page's dead render reads and clears (docs/protocol.md).
 */
import { withChunk } from './chunks.ts'

const REGION = 'sb-flash'
type FlashRegion = { showFlash(f: object): void }

/**
 * Applies an `"f"` value: each kind shows its message, or goes when it is null. What shows it is
 * a chunk (client/flash-region.ts), loaded with the first flash a page shows.
 */
export const showFlash = (f: unknown): void => {
  if (typeof f !== 'object' || f === null) return
  withChunk<FlashRegion>('flash', (chunk) => chunk.showFlash(f))
}

/** Keeps a redirect's signed flash (base64url.mac) for the next page, which clears it. */
export const carryFlash = (signed: unknown): void => {
  if (typeof signed !== 'string' || !/^[\w-]+\.[\w-]+$/.test(signed)) return
  const secure = location.protocol === 'https:' ? ';secure' : ''
  document.cookie = `sb_flash=${signed};path=/;max-age=60;samesite=lax${secure}`
}

/** One listener for the page, installed at boot: clicking a message dismisses it. */
export const bindFlash = (): void =>
  addEventListener('click', ({ target }) => {
    if (target instanceof Element) target.closest(`#${REGION} .sb-flash`)?.remove()
  })
