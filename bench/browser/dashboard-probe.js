/*
 * Loaded into the dashboard page before any of its scripts (page.addInitScript) by
 * dashboard-page.ts; a plain script, so nothing of the bench's build reaches the page. It watches
 * the real client from outside, changing nothing of what it does:
 *
 * - every WebSocket frame's handler is timed, and counts as a patch when the DOM changed while it
 *   ran (MutationObserver.takeRecords before and after: records made by other tasks, such as the
 *   status line's animation frame, are dropped first); a patch carrying a publish stamp (the
 *   dashboard's data-at) gives publish-to-patch-applied in this browser;
 * - typing into the filter box: each printable keydown's time (event.timeStamp), the time after
 *   the next frame painted the typed character (a task posted from the requestAnimationFrame that
 *   follows the `input` event runs once that frame's style, layout and paint are done), and the
 *   time the server's reply to the live-change event it caused was applied (the outgoing `filter`
 *   event is matched to the keystroke by its value, the reply by its ref).
 *
 * `window.__dashProbe.start()` and `.stop()` bracket the measured window; `.stop()` returns the
 * figures as plain data.
 */
;(() => {
  // A publish stamp is epoch ms: 13 digits starting with 1, as bench/shared/dashboard.ts reads it.
  const STAMP = /(?:^|[^\d.])(1\d{12})(?:\.\d+)?(?!\d)/
  const MAX_STAMP_AGE_MS = 60_000

  let isOn = false
  let patches = 0
  let frames = 0
  let patchMs = 0
  let lags = []
  let keys = []
  let observer = null

  const noteReply = (text, appliedAt) => {
    if (!keys.some((k) => k.ref !== null && k.patchAt === null)) return
    if (!text.includes('"reply"')) return
    let frame
    try {
      frame = JSON.parse(text)
    } catch {
      return
    }
    const key = keys.find((k) => k.ref === frame[1] && k.patchAt === null)
    if (key && frame[3] === 'reply') key.patchAt = appliedAt
  }

  const measured = (ws, handler, event) => {
    if (!observer) {
      observer = new MutationObserver(() => {})
      observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true })
    }
    observer.takeRecords()
    const start = performance.now()
    try {
      return handler.call(ws, event)
    } finally {
      const end = performance.now()
      const isPatch = observer.takeRecords().length > 0
      const text = typeof event.data === 'string' ? event.data : ''
      if (isOn) {
        frames++
        if (isPatch) {
          patches++
          patchMs += end - start
          const stamp = Number(STAMP.exec(text)?.[1])
          const now = Date.now()
          if (stamp > now - MAX_STAMP_AGE_MS && stamp <= now + 1000) lags.push(now - stamp)
        }
        noteReply(text, end)
      }
    }
  }

  const proto = WebSocket.prototype
  const onmessage = Object.getOwnPropertyDescriptor(proto, 'onmessage')
  Object.defineProperty(proto, 'onmessage', {
    configurable: true,
    enumerable: onmessage.enumerable,
    get() {
      return onmessage.get.call(this)
    },
    set(handler) {
      const wrapped = typeof handler === 'function' ? (event) => measured(this, handler, event) : handler
      onmessage.set.call(this, wrapped)
    },
  })

  // The live-change event a keystroke caused: the latest keystroke whose value it carries.
  const send = proto.send
  proto.send = function (data) {
    if (isOn && typeof data === 'string' && data.includes('"filter"')) {
      try {
        const [, ref, , event, payload] = JSON.parse(data)
        const q = payload?.value?.q
        const key = event === 'event' && payload.event === 'filter' ? keys.findLast((k) => k.value === q && k.ref === null) : undefined
        if (key) key.ref = ref
      } catch {
        // not a frame of ours to read
      }
    }
    return send.call(this, data)
  }

  const isFilter = (target) => target instanceof HTMLInputElement && target.name === 'q'
  addEventListener(
    'keydown',
    (e) => {
      if (!isOn || !isFilter(e.target) || e.key.length !== 1 || e.ctrlKey || e.metaKey) return
      keys.push({ key: e.key, downAt: e.timeStamp, value: null, paintAt: null, isShown: false, ref: null, patchAt: null })
    },
    true,
  )
  addEventListener(
    'input',
    (e) => {
      const key = keys[keys.length - 1]
      if (!isFilter(e.target) || !key || key.value !== null) return
      const input = e.target
      key.value = input.value
      requestAnimationFrame(() => {
        const channel = new MessageChannel()
        channel.port1.onmessage = () => {
          key.paintAt = performance.now()
          key.isShown = input.value.includes(key.key)
        }
        channel.port2.postMessage(null)
      })
    },
    true,
  )

  window.__dashProbe = {
    start() {
      isOn = true
      patches = 0
      frames = 0
      patchMs = 0
      lags = []
      keys = []
    },
    stop() {
      isOn = false
      return { patches, frames, patchMs, lags, keys }
    },
  }
})()
