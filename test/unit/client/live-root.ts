/**
 * Test helpers for the client's patch path: one server step (render or diff, through the wire as
 * JSON), a live root joined over a fake link, and the markup a page shows without patch markers.
 */
import { expect } from 'vitest'
import type { Link } from '../../../client/protocol.ts'
import { View } from '../../../client/view.ts'
import { diffTree, encodeNode, StaticsCache, toJson, type TemplateSink } from '../../../framework/diff/index.ts'
import type { TreeNode } from '../../../framework/template/index.ts'

/** The frame for `next`: a full render when `prev` is null, else the diff; statics via `cache`. */
export const serverStep = (cache: StaticsCache, prev: TreeNode | null, next: TreeNode) => {
  const sink: TemplateSink = new Set()
  const payload = prev === null ? encodeNode(next, sink) : diffTree(prev, next, sink)
  if (payload !== undefined) expect(toJson(payload)).toBe(JSON.stringify(payload))
  const wire = JSON.parse(JSON.stringify({ t: cache.take(sink), d: payload ?? null }))
  return wire as { t?: unknown; d: unknown }
}

/**
 * What the DOM shows, without the client's patch markers, each element's attributes in name
 * order: morphdom appends an attribute it adds (`disabled` coming back), so their order follows
 * the element's history, which no page depends on.
 */
export const markup = (html: string): string => {
  const el = document.createElement('div')
  el.innerHTML = html
  for (const marked of el.querySelectorAll('[data-sb]')) marked.removeAttribute('data-sb')
  for (const element of el.querySelectorAll('*')) {
    const attributes = [...element.attributes].map(({ name, value }) => [name, value] as const)
    for (const [name] of attributes) element.removeAttribute(name)
    for (const [name, value] of attributes.sort(([a], [b]) => (a < b ? -1 : 1))) element.setAttribute(name, value)
  }
  return el.innerHTML
}

/** A live root joined over a fake link: `join` answers the join with a render. */
export const liveRoot = () => {
  document.body.innerHTML = '<div id="sb-1" data-sb-root></div>'
  const el = document.getElementById('sb-1') as HTMLElement
  const sent: string[] = []
  let onJoin: Parameters<Link['send']>[4]
  const link: Link = {
    statics: new Map(),
    send: (_topic, event, _payload, _joinRef, onReply) => {
      sent.push(event)
      if (event === 'join') onJoin = onReply
      return '1'
    },
    add: (member) => member.rejoin(),
    remove: () => {},
  }
  const view = new View(link, el)
  link.add(view)
  return { el, sent, view, join: (response: Record<string, unknown>) => onJoin?.('ok', response) }
}
