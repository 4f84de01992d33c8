/**
 * Page-loading events for progress bars: `sb:page-loading-start` and `sb:page-loading-stop` on
 * window, `detail.kind` saying what loads (`join`, `navigate`, `patch`, `redirect`). Every start
 * of a join, navigate or patch is followed by exactly one stop (its reply, an error or the link's
 * close); a redirect has no stop: the page is replaced.
 *
 * While anything has loaded for longer than PROGRESS_DELAY_MS, <html> carries `sb-page-loading`,
 * for a layout's progress bar (the default layout draws one); a fast reply never flashes it.
 */
import { emit } from './protocol.ts'

/** How long a load may take before <html> gets `sb-page-loading`. */
export const PROGRESS_DELAY_MS = 120

let loads = 0
let timer: ReturnType<typeof setTimeout> | undefined
const bar = (isOn: boolean): unknown =>
  document.documentElement.classList.toggle('sb-page-loading', isOn)

/** Announces that `kind` started loading; returns the function that announces its end. */
export const pageLoading = (kind: 'join' | 'navigate' | 'patch' | 'redirect'): (() => void) => {
  const announce = (phase: string) => emit(`sb:page-loading-${phase}`, { kind })
  let isDone = false
  announce('start')
  if (!loads++) timer = setTimeout(bar, PROGRESS_DELAY_MS, true)
  return () => {
    if (isDone) return
    isDone = true
    announce('stop')
    if (!--loads) clearTimeout(timer), bar(false)
  }
}
