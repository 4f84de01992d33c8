/**
 * Shows a view's flash in the layout's region, `#sb-flash` (client/flash.ts loads this chunk
 * with the first flash a page shows).
 */
const REGION = 'sb-flash'

// The region the layout printed, or one added at the top of <body> for a layout without it.
const region = (): HTMLElement => {
  let el = document.getElementById(REGION)
  if (!el) {
    el = document.createElement('div')
    el.id = REGION
    el.setAttribute('aria-live', 'polite')
    document.body.prepend(el)
  }
  return el
}

/** Applies an `"f"` value: each kind shows its message (as text), or goes when it is null. */
export const showFlash = (f: object): void => {
  const el = region()
  for (const [kind, message] of Object.entries(f)) {
    // Compared, not put in a selector: a kind is any string.
    let p = [...el.children].find((child) => child.getAttribute('data-kind') === kind)
    if (typeof message !== 'string') {
      p?.remove()
      continue
    }
    if (!p) {
      p = document.createElement('p')
      p.className = 'sb-flash'
      p.setAttribute('data-kind', kind)
      p.setAttribute('role', 'alert')
      el.append(p)
    }
    p.textContent = message
  }
}

