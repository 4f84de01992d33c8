/**
 * Reads a Chromium performance trace (CDP Tracing, category devtools.timeline) for the one
 * measure the browser benchmark takes: from the start of the `click` event's dispatch to the end
 * of the last paint after it. The trace is taken around one click and stopped once the page shows
 * the click's result and two animation frames have passed, so the last paint is the one that put
 * the result on screen (round trip, patch, style, layout and paint included).
 */

type TraceEvent = { name?: string; ph?: string; ts?: number; dur?: number; args?: { data?: { type?: string } } }

/** The trace categories the measure needs. */
export const TRACE_CATEGORIES = ['devtools.timeline']

/** Click-to-last-paint in ms, or NaN when the trace holds no click or no paint after it. */
export const clickToPaintMs = (trace: Buffer): number => {
  const parsed = JSON.parse(trace.toString('utf8')) as { traceEvents?: TraceEvent[] } | TraceEvent[]
  const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? [])
  let clickAt = Infinity
  for (const e of events) {
    if (e.name === 'EventDispatch' && e.args?.data?.type === 'click' && e.ts !== undefined) {
      clickAt = Math.min(clickAt, e.ts)
    }
  }
  let paintEnd = -Infinity
  for (const e of events) {
    if (e.name !== 'Paint' || e.ts === undefined || e.ts < clickAt) continue
    paintEnd = Math.max(paintEnd, e.ts + (e.dur ?? 0))
  }
  if (!Number.isFinite(clickAt) || !Number.isFinite(paintEnd)) return NaN
  return (paintEnd - clickAt) / 1000
}
