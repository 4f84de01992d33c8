/**
 * Page-loading events for progress bars: `sb:page-loading-start` and `sb:page-loading-stop` on
 * window, `detail.kind` saying what loads (`join`, `patch`, `redirect`). Every start of a join or
 * patch is followed by exactly one stop (its reply, an error or the link's close); a redirect
 * has no stop: the page is replaced.
 */

/** Announces that `kind` started loading; returns the function that announces its end. */
export const pageLoading = (kind: 'join' | 'patch' | 'redirect'): (() => void) => {
  const announce = (phase: string) =>
    dispatchEvent(new CustomEvent(`sb:page-loading-${phase}`, { detail: { kind } }))
  let isDone = false
  announce('start')
  return () => {
    if (!isDone) announce('stop')
    isDone = true
  }
}
