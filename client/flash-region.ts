/**
 * The flash chunk (client/flash.ts loads it): shows a view's flash in the layout's region,
 * `#sb-flash`, dismisses a message on click and carries a redirect's flash to the next page.
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

/** Keeps a redirect's signed flash (base64url.mac) for the next page, which clears it. */
export const carryFlash = (signed: unknown): void => {
  if (typeof signed !== 'string' || !/^[\w-]+\.[\w-]+$/.test(signed)) return
  const secure = location.protocol === 'https:' ? ';secure' : ''
  document.cookie = `sb_flash=${signed};path=/;max-age=60;samesite=lax${secure}`
}

/** Installed once, as the chunk loads: clicking a message dismisses it. */
export const dismissOnClick = (): void =>
  addEventListener('click', ({ target }) => {
    if (target instanceof Element) target.closest(`#${REGION} .sb-flash`)?.remove()
  })
