/**
 * One live root on the page (`[data-sb-root]`): joins its view, keeps its rendered tree in step
 * with the server and patches only what each diff changed. A crashed view rejoins with backoff
 * and, after CRASH_LIMIT crashes in CRASH_WINDOW_MS, stays in the error state for good.
 */
import { backoff } from './backoff.ts'
import { redirectWithFlash, showFlash } from './flash.ts'
import { chunkNow, preload, withChunk } from './chunks.ts'
import { collectForms, type FormValues } from './form.ts'
import type { recoverForms } from './form-restore.ts'
import { pageLoading } from './loading.ts'
import { navigate, patchUrl, views } from './navigation.ts'
import { call, connectHooks, dispatchToHooks, morph, settle, type PushEvent } from './patch.ts'
import {
  emit,
  ROOT_SELECTOR,
  viewTopic,
  type Link,
  type Member,
  type OnReply,
  type Payload,
} from './protocol.ts'
import type { patch } from './keyed.ts'
import { ClientTree, NODE_ATTRIBUTE, type TreeNode } from './tree.ts'

/** The root's connection classes; it carries exactly one at a time. */
export const STATE_CLASSES = ['sb-loading', 'sb-connected', 'sb-disconnected', 'sb-error'] as const

/** Crashes within CRASH_WINDOW_MS that stop the rejoins. */
export const CRASH_LIMIT = 5

/** The window in which CRASH_LIMIT crashes are counted. */
export const CRASH_WINDOW_MS = 30_000

// Error replies that mean the server no longer runs this join: rejoin, as for an `error` push.
const GONE = /^(view\.crashed|socket\.unknown-topic)$/

// Every error the server names reaches the console, with the server's stack in development.
const report = ({ code, reason, stack }: Payload): void =>
  console.error(`switchboard: ${code}: ${reason}${stack ? `\n${stack}` : ''}`)

// What a view shows outside its root, sent only when it changed (docs/protocol.md): the
// title its render gave (`"ti"`) and its flash (`"f"`).
const showPage = ({ ti, f }: Payload): void => {
  if (typeof ti === 'string') document.title = ti
  showFlash(f)
}

type Keyed = { patch: typeof patch }

/** A live navigate (client/navigation.ts): the URL whose view to join, and who hears the end. */
export type Nav = { url: string; flash: unknown; done: (isOk: boolean) => void }

/** A live view root and its join. */
export class View implements Member {
  readonly topic: string
  readonly el: HTMLElement
  joinRef: string | null = null
  readonly #link: Link
  #tree: ClientTree | null = null
  #crashes: number[] = []
  #attempt = 0
  #retry: ReturnType<typeof setTimeout> | undefined
  #wasJoined = false
  #isDead = false
  // The snapshot version of a durable view last shown (`"sv"`), presented when it rejoins.
  #sv: unknown

  constructor(link: Link, el: HTMLElement) {
    this.#link = link
    this.el = el
    this.topic = viewTopic(el)
    this.#show('sb-loading')
    views.set(el, this)
  }

  /**
   * Joins (again), sending the values of the root's forms for recovery; with `nav`, joins the
   * view at `nav.url` instead (a live navigate), and takes the root's new token from the reply.
   */
  rejoin(nav?: Nav): void {
    if (this.#isDead) return nav?.done(false)
    clearTimeout(this.#retry)
    // Never two joins of one topic: the old one is left (the server also replaces it on join).
    if (this.joinRef) this.#link.send(this.topic, 'leave', {}, this.joinRef)
    this.#show('sb-loading')
    const form = nav ? {} : collectForms(this.el)
    const token = this.el.getAttribute('data-sb-token') ?? ''
    const url = nav?.url ?? location.href
    const navigating = nav && { navigate: true, flash: nav.flash }
    const payload = { token, url, params: {}, form, sv: this.#sv, ...navigating }
    const stop = pageLoading(nav ? 'navigate' : 'join')
    const ref = this.#link.send(this.topic, 'join', payload, null, (status, response) => {
      try {
        // Only the current join mounts: a reply to one since left or crashed is stale.
        if (ref !== this.joinRef) return
        // Refused (outside the live session) or cut off, a navigate loads the URL as a page.
        if (nav && status !== 'ok') return nav.done(false)
        if (response.tk) this.el.setAttribute('data-sb-token', `${response.tk}`), nav?.done(true)
        if (status === 'ok') this.#mount(response, form)
        else if (status === 'error') this.#crash(ref, response)
      } finally {
        // After the reply is applied: listeners hear the stop with the view shown, at its URL.
        stop()
      }
    })
    this.joinRef = ref
  }

  /**
   * Sends an event (or `params`) to the view; `done` hears the reply after it is applied, or
   * `timeout` when not joined. While the join is pending the socket holds the frame until the
   * join's reply.
   */
  push(event: string, payload: Payload, done?: OnReply): void {
    const joinRef = this.joinRef
    if (!joinRef) return done?.('timeout', {})
    this.#link.send(this.topic, event, payload, joinRef, (status, response) => {
      // A reply for an earlier join (or a push its failed join released) leaves this one alone.
      if (joinRef === this.joinRef) {
        if (status === 'ok') this.#update(response)
        else if (status === 'error' && GONE.test(`${response.code}`)) this.#crash(joinRef, response)
        else if (status === 'error') report(response)
      }
      done?.(status, response)
    })
  }

  onMessage(event: string, payload: Payload): void {
    const { to, event: name } = payload
    if (event === 'diff') this.#update(payload)
    else if (event === 'error') this.#crash(this.joinRef, payload)
    else if (event === 'redirect') redirectWithFlash(to, payload.flash)
    else if (event === 'patch') patchUrl(to, payload.replace === true)
    else if (event === 'navigate') navigate(to, payload.replace === true, payload.flash, this)
    else if (event === 'push') {
      dispatchToHooks(this.el, String(name), payload.payload)
      emit(`sb:push:${name}`, payload.payload)
    }
  }

  onClose(): void {
    this.joinRef = null
    clearTimeout(this.#retry)
    if (!this.#isDead) this.#show('sb-disconnected')
  }

  // A hook's push goes to this view, or (pushEventTo) to the view whose root encloses `to`;
  // `client.no-reply` rejects a push no reply will answer: no such view, not joined, link closed.
  readonly #pushHook: PushEvent = (event, value, to, type = 'hook') => {
    const root = to === undefined ? this.el : to?.closest(ROOT_SELECTOR)
    const view = root && views.get(root)
    // The component whose element encloses `to` (its root is marked `c<cid>`), if any.
    const cid = to?.closest(`[${NODE_ATTRIBUTE}^=c]`)?.getAttribute(NODE_ATTRIBUTE)!.slice(1)
    const reply = new Promise<unknown>((resolve, reject) => {
      const done: OnReply = (status, r) =>
        status === 'ok'
          ? resolve(r.v)
          : reject(
              Object.assign(new Error(`${r.reason ?? status}`), { code: 'client.no-reply' }, r),
            )
      if (view) view.push('event', { type, event, value, cid: cid && +cid }, done)
      else done('timeout', {})
    })
    // An error reply's code and reason (and its stack, in development) go on the Error. A hook that
    // does not await its push leaves no unhandled rejection; View.push reports server errors.
    reply.catch(() => {})
    return reply
  }

  #show(state: (typeof STATE_CLASSES)[number]): void {
    this.el.classList.remove(...STATE_CLASSES)
    this.el.classList.add(state)
    connectHooks(this.el, state === 'sb-connected')
  }

  #mount(response: Payload, form: { [id: string]: FormValues }): void {
    const tree = new ClientTree(this.#link.statics)
    try {
      tree.addStatics(response.t)
      tree.mount(response.r)
      this.#tree = tree
      morph(this.el, this.#wrap(tree.html(true)), this.#pushHook, true, true)
      showPage(response)
      this.#sv = response.sv
    } catch (error) {
      return this.#fail(error)
    }
    this.#show('sb-connected')
    this.#attempt = 0
    if (this.#wasJoined) this.#recover(form)
    this.#wasJoined = true
  }

  // After a rejoin the user's input wins; the server hears it through the form's live-change.
  // Putting values back is a chunk (client/form-restore.ts), loaded by the first rejoin.
  // What the forms hold as the join left them is kept: one that differs once the chunk is here
  // was edited meanwhile, and those newer values are the user's.
  #recover(form: { [id: string]: FormValues }): void {
    if (Object.keys(form).length === 0) return
    const joined = collectForms(this.el)
    withChunk<{ recoverForms: typeof recoverForms }>('forms', (chunk) =>
      chunk.recoverForms(this.el, form, joined, (event, value) => this.push('event', { type: 'change', event, value })),
    )
  }

  #update(payload: Payload): void {
    const tree = this.#tree
    if (!tree) return
    try {
      tree.addStatics(payload.t)
      if (payload.d !== undefined) this.#patch(tree, tree.merge(payload.d))
      showPage(payload)
      this.#sv = payload.sv ?? this.#sv
    } catch (error) {
      this.#fail(error)
    }
  }

  // With the keyed chunk (client/keyed.ts), list changes go straight to their rows and targets of
  // one tag parse in one go. Until it is here, the node around each changed list is a target too.
  // Each target is the smallest marked element enclosing a change; `null` is the whole root.
  #patch(tree: ClientTree, targets: ReturnType<ClientTree['merge']>): void {
    const push = this.#pushHook
    if (chunkNow<Keyed>('keyed')?.patch(this.el, tree, targets, { call, settle, morph, push })) return
    if (tree.lists.length) preload('keyed')
    for (const { chain } of tree.lists) targets.push(chain[chain.length - 1] as TreeNode)
    for (const node of targets) {
      const el = node && this.el.querySelector<HTMLElement>(`[${NODE_ATTRIBUTE}="${node.key}"]`)
      if (!el) return morph(this.el, this.#wrap(tree.html(true)), push, true)
      morph(el, tree.nodeHtml(node).trim(), push)
    }
  }

  #wrap(html: string): HTMLElement {
    const clone = this.el.cloneNode(false) as HTMLElement
    clone.innerHTML = html
    return clone
  }

  // The tree no longer matches the server's: leave that join and start over from a fresh render.
  #fail(error: unknown): void {
    const joinRef = this.joinRef
    if (joinRef) this.#link.send(this.topic, 'leave', {}, joinRef)
    this.#crash(joinRef, { code: 'client.out-of-sync', reason: String(error) })
  }

  #crash(joinRef: string | null, info: Payload): void {
    // Only the current join can crash: a late error about an old one changes nothing.
    if (!joinRef || joinRef !== this.joinRef) return
    this.joinRef = null
    report(info)
    const now = Date.now()
    this.#crashes = [...this.#crashes.filter((at) => now - at < CRASH_WINDOW_MS), now]
    this.#show('sb-error')
    if (this.#crashes.length < CRASH_LIMIT) {
      this.#retry = setTimeout(() => this.rejoin(), backoff(this.#attempt++))
      return
    }
    this.#isDead = true
    this.el.setAttribute('data-sb-error', String(info.reason ?? info.code ?? 'crashed'))
  }
}
