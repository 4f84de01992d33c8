// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { pageLoading, PROGRESS_DELAY_MS } from '../../../client/loading.ts'
import type { Link, OnReply } from '../../../client/protocol.ts'
import { View } from '../../../client/view.ts'

const seen: string[] = []
const note = (e: Event) => seen.push(`${e.type.slice(16)}:${(e as CustomEvent).detail.kind}`)
addEventListener('sb:page-loading-start', note)
addEventListener('sb:page-loading-stop', note)
afterEach(() => void (seen.length = 0))

// A link that keeps each frame's reply callback for the test to answer.
const linkAnswering = () => {
  const replies: OnReply[] = []
  const link: Link = {
    statics: new Map(),
    send: (_topic, _event, _payload, _joinRef, onReply) => {
      if (onReply) replies.push(onReply)
      return String(replies.length)
    },
    add: () => {},
    remove: () => {},
  }
  return { link, replies }
}

describe('page-loading events', () => {
  it('announce a join from its start until its reply', () => {
    document.body.innerHTML = '<main id="sb-1" data-sb-root data-sb-token="t"><p>x</p></main>'
    const { link, replies } = linkAnswering()
    new View(link, document.getElementById('sb-1')!).rejoin()
    expect(seen).toEqual(['start:join'])
    replies[0]?.('ok', { t: { '1': ['<p>', '</p>', 3] }, r: { s: 1, '0': 'y' } })
    expect(seen).toEqual(['start:join', 'stop:join'])
  })

  it('stop a join that failed or whose link closed', () => {
    document.body.innerHTML = '<main id="sb-2" data-sb-root data-sb-token="t"></main>'
    const { link, replies } = linkAnswering()
    new View(link, document.getElementById('sb-2')!).rejoin()
    replies[0]?.('timeout', {})
    expect(seen).toEqual(['start:join', 'stop:join'])
  })
})

describe('the progress class', () => {
  const isShown = () => document.documentElement.classList.contains('sb-page-loading')

  it('marks <html> only once a load has waited PROGRESS_DELAY_MS, until the last load ends', () => {
    vi.useFakeTimers()
    try {
      const first = pageLoading('navigate')
      vi.advanceTimersByTime(PROGRESS_DELAY_MS - 1)
      expect(isShown()).toBe(false)
      const second = pageLoading('patch')
      vi.advanceTimersByTime(1)
      expect(isShown()).toBe(true)
      first()
      first() // a second stop of one load counts once
      expect(isShown()).toBe(true)
      second()
      expect(isShown()).toBe(false)
    } finally {
      vi.useRealTimers()
    }
  })

  it('never marks <html> for a load answered sooner', () => {
    vi.useFakeTimers()
    try {
      pageLoading('navigate')()
      vi.advanceTimersByTime(PROGRESS_DELAY_MS * 2)
      expect(isShown()).toBe(false)
    } finally {
      vi.useRealTimers()
    }
  })
})
