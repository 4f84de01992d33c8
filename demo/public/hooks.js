/*
 * The demo's browser code, a plain script: the Cursor, Spark and Me hooks, the connection status
 * line and the nav bar's current link.
 *
 * Load order: the page loads this before the client (both deferred); the client takes over the
 * hooks registered here in `window.Switchboard.hooks` when it starts.
 */
;(() => {
  const CURSOR_THROTTLE_MS = 50
  const RATE_WINDOW_MS = 1000

  const SPARK_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  const SPARK_LEVELS = 63
  // A sparkline spans at least this many levels, so noise stays small.
  const SPARK_MIN_SPAN = 6
  const SVG = 'http://www.w3.org/2000/svg'

  /**
   * Draws a grid sparkline from its data (demo/views/dashboard/sparkline.ts): one base64url digit
   * per sample, the newest at the right edge of HISTORY_LENGTH slots, scaled to the samples'
   * levels; the warn level as a faint line.
   */
  const drawSpark = (el) => {
    const code = el.getAttribute('data-points') || ''
    if (el.sparkDrawn === code) return
    el.sparkDrawn = code
    const slots = Number(el.getAttribute('data-length')) || 60
    const levels = [...code].map((digit) => Math.max(0, SPARK_DIGITS.indexOf(digit)))
    const low = Math.min(...levels)
    const high = Math.max(...levels)
    const span = Math.max(high - low, SPARK_MIN_SPAN) + 2
    const top = SPARK_LEVELS - Math.round((low + high) / 2 + span / 2)
    // The SVG is the hook's own child: patches of `el` (live-update="ignore") leave it alone.
    const svg = el.firstElementChild || el.appendChild(document.createElementNS(SVG, 'svg'))
    svg.setAttribute('preserveAspectRatio', 'none')
    svg.setAttribute('viewBox', `0 ${top} ${slots - 1} ${span}`)
    const offset = slots - levels.length
    const line = document.createElementNS(SVG, 'polyline')
    line.setAttribute('class', 'line')
    line.setAttribute('points', levels.map((l, i) => `${offset + i},${SPARK_LEVELS - l}`).join(' '))
    const limit = document.createElementNS(SVG, 'path')
    limit.setAttribute('class', 'limit')
    limit.setAttribute('d', `M0 ${SPARK_LEVELS - Number(el.getAttribute('data-warn'))}h${slots}`)
    svg.replaceChildren(limit, line)
  }

  const hooks = {
    /** A grid sparkline: drawn from its samples whenever they change. */
    Spark: {
      mounted() {
        drawSpark(this.el)
      },
      updated() {
        drawSpark(this.el)
      },
    },
    /**
     * This tab's operator (the MeCard component): marks its own entry in the shared operator
     * list and hides its own cursor, which every dashboard of the tenant receives alike.
     */
    Me: {
      mounted() {
        this.updated()
      },
      updated() {
        const key = this.el.getAttribute('data-me') || ''
        let style = document.getElementById('sb-me-style')
        if (!style) {
          style = document.createElement('style')
          style.id = 'sb-me-style'
          document.head.append(style)
        }
        const at = `[data-operator="${CSS.escape(key)}"]`
        style.textContent = key
          ? `.operators ${at}:not(.is-me), .cursor[data-cursor="${CSS.escape(key)}"] { display: none; }`
          : ''
      },
      destroyed() {
        document.getElementById('sb-me-style')?.remove()
      },
    },
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
