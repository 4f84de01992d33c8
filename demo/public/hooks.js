/*
 * The demo's browser code, a plain script: the Cursor hook, the connection status line and the
 * nav bar's current link.
 *
 * Load order: the page loads this before the client (both deferred); the client takes over the
 * hooks registered here in `window.Switchboard.hooks` when it starts.
 */
;(() => {
  const CURSOR_THROTTLE_MS = 50
  const RATE_WINDOW_MS = 1000

  const hooks = {
    /** Sends the pointer position, in shares of the element's box, at most every 50 ms. */
    Cursor: {
      mounted() {
        let last = 0
        let timer = null
        let pending = null
        const send = () => {
          timer = null
          last = Date.now()
          if (pending) this.pushEvent('cursor', pending)
        }
        this.onMove = (e) => {
          const box = this.el.getBoundingClientRect()
          if (box.width === 0 || box.height === 0) return
          pending = { x: (e.clientX - box.left) / box.width, y: (e.clientY - box.top) / box.height }
          if (timer) return
          const wait = last + CURSOR_THROTTLE_MS - Date.now()
          if (wait > 0) timer = setTimeout(send, wait)
          else send()
        }
        this.onLeave = () => {
          clearTimeout(timer)
          timer = null
          pending = null
          this.pushEvent('cursor', { gone: true })
        }
        this.el.addEventListener('pointermove', this.onMove)
        this.el.addEventListener('pointerleave', this.onLeave)
      },
      destroyed() {
        this.el.removeEventListener('pointermove', this.onMove)
        this.el.removeEventListener('pointerleave', this.onLeave)
      },
    },
  }

  const sb = (window.Switchboard = window.Switchboard || {})
  sb.hooks = Object.assign(sb.hooks || {}, hooks)

  // The dev server runs this file again when it changes (docs/guides/dev-server.md): the hook
  // definitions above replace the old ones; the page's status line and nav start once.
  if (sb.isDemoChromeStarted) return
  sb.isDemoChromeStarted = true

  // The status line: connection state, view updates per second, size of the last update.
  const status = {
    state: 'connecting',
    wasOpen: false,
    times: [],
    lastBytes: null,
    isPaintQueued: false,
  }

  const formatBytes = (n) => (n < 1000 ? `${n} B` : `${(n / 1000).toFixed(1)} kB`)

  const paint = () => {
    const el = document.getElementById('sb-status')
    if (!el) return
    const now = Date.now()
    status.times = status.times.filter((t) => now - t < RATE_WINDOW_MS)
    const isOpen = status.state === 'open'
    const label = isOpen ? 'connected' : status.wasOpen ? 'reconnecting…' : 'connecting…'
    const rate = `${status.times.length} updates/s`
    const size = status.lastBytes === null ? '–' : formatBytes(status.lastBytes)
    el.replaceChildren()
    const conn = document.createElement('span')
    conn.className = `conn ${isOpen ? 'is-open' : 'is-down'}`
    conn.dataset.state = isOpen ? 'connected' : 'reconnecting'
    conn.textContent = label
    const stats = document.createElement('span')
    stats.className = 'rate'
    stats.textContent = `${rate} · last diff ${size}`
    el.append(conn, stats)
  }

  addEventListener('sb:status', (e) => {
    status.state = e.detail.state
    if (status.state === 'open') status.wasOpen = true
    paint()
  })
  // Diffs pushed by the server and replies to a view's events both update the page.
  addEventListener('sb:frame', (e) => {
    const { bytes, topic, event } = e.detail
    if (!String(topic).startsWith('lv:') || (event !== 'diff' && event !== 'reply')) return
    status.times.push(Date.now())
    status.lastBytes = bytes
    if (!status.isPaintQueued) {
      status.isPaintQueued = true
      requestAnimationFrame(() => {
        status.isPaintQueued = false
        paint()
      })
    }
  })
  setInterval(paint, 500)
  addEventListener('DOMContentLoaded', paint, { once: true })

  // The nav bar sits in the layout, outside the live root, so no render updates it: mark the
  // link of the page shown at load and after each live navigation (the stop comes once the new
  // view is shown, at its URL).
  const markNav = () => {
    const here = location.pathname
    for (const a of document.querySelectorAll('header.top nav a')) {
      const path = new URL(a.href).pathname
      const isHere = path === '/' ? here === '/' || here.startsWith('/t/') || here.startsWith('/sources/') : here.startsWith(path)
      if (isHere) a.setAttribute('aria-current', 'page')
      else a.removeAttribute('aria-current')
    }
  }
  addEventListener('sb:page-loading-stop', markNav)
  addEventListener('DOMContentLoaded', markNav, { once: true })
})()
