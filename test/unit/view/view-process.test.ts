import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { html, LiveView, on, type MountContext } from '../../../framework/index.ts'
import { mountView, testServices } from '../../../framework/testing/index.ts'
import { ViewProcess } from '../../../framework/view/index.ts'

type CounterState = { count: number; log: string[] }

class Counter extends LiveView<CounterState> {
  mount() {
    return { count: 0, log: [] }
  }
  render({ count }: CounterState) {
    return html`<p>${count}</p>`
  }
  handleInfo(message: unknown) {
    if (message === 'tick') this.assign({ count: this.state.count + 100 })
  }
  events = {
    inc: () => this.assign({ count: this.state.count + 1 }),
    slow: async ({ tag }: { tag?: unknown }) => {
      this.assign({ log: [...this.state.log, `start ${String(tag)}`] })
      await new Promise((r) => setTimeout(r, 5))
      this.assign({ log: [...this.state.log, `end ${String(tag)}`] })
    },
    set: on(z.object({ n: z.coerce.number().int() }), ({ n }) => this.assign({ count: n })),
    boom: () => {
      throw new Error('handler failed')
    },
  }
}

describe('ViewProcess', () => {
  it('renders the new state after an event', async () => {
    const live = await mountView(Counter)
    expect(live.html()).toBe('<p>0</p>')
    const output = await live.event('inc')
    expect(output?.wire).toEqual({ 0: 1 })
    expect(live.html()).toBe('<p>1</p>')
  })

  it('handles messages one at a time even when handlers await', async () => {
    const live = await mountView(Counter)
    await Promise.all([live.event('slow', { tag: 'a' }), live.event('slow', { tag: 'b' })])
    expect(live.view.state.log).toEqual(['start a', 'end a', 'start b', 'end b'])
  })

  it('rejects an event the view does not declare and changes nothing', async () => {
    const live = await mountView(Counter)
    // A browser can send any name; tsc refuses these in code (typed-events.ts).
    // @ts-expect-error -- not one of the view's events
    await expect(live.event('render')).rejects.toMatchObject({ code: 'view.no-handler' })
    // @ts-expect-error -- not one of the view's events
    await expect(live.event('constructor')).rejects.toMatchObject({ code: 'view.no-handler' })
    // @ts-expect-error -- not one of the view's events
    await expect(live.event('__proto__')).rejects.toMatchObject({ code: 'view.no-handler' })
    expect(live.html()).toBe('<p>0</p>')
    expect(live.crash).toBeNull()
  })

  it('validates a payload with its schema and keeps running when it fails', async () => {
    const live = await mountView(Counter)
    await expect(live.event('set', { n: 'seven' })).rejects.toMatchObject({ code: 'view.invalid-payload' })
    await live.event('set', { n: '7' })
    expect(live.html()).toBe('<p>7</p>')
  })

  it('answers view.invalid-payload when a validator throws or rejects, and keeps running', async () => {
    type Tree = { kids: Tree[] }
    const tree: z.ZodType<Tree> = z.lazy(() => z.object({ kids: z.array(tree) }))
    // Standard Schema validators that throw instead of returning issues.
    const failing = (validate: () => Promise<never>) => ({
      '~standard': { version: 1 as const, vendor: 'test', validate },
    })
    const overflow = () => {
      throw new RangeError('Maximum call stack size exceeded')
    }
    class Checked extends LiveView<{ count: number }> {
      mount() {
        return { count: 0 }
      }
      render({ count }: { count: number }) {
        return html`<p>${count}</p>`
      }
      events = {
        inc: () => this.assign({ count: this.state.count + 1 }),
        tree: on(tree, () => this.assign({ count: -1 })),
        throws: on(failing(overflow), () => {}),
        rejects: on(failing(async () => overflow()), () => {}),
      }
    }
    let deep: Tree = { kids: [] }
    for (let depth = 0; depth < 10_000; depth++) deep = { kids: [deep] } // the lazy schema overflows on it
    const live = await mountView(Checked)
    for (const event of ['tree', 'throws', 'rejects'] as const) {
      const error = await live.event(event, event === 'tree' ? deep : {}).then(
        () => null,
        (e: unknown) => e,
      )
      expect(error).toMatchObject({ code: 'view.invalid-payload' })
      expect((error as Error).message.length).toBeLessThan(300) // the value is named, not printed
    }
    expect(live.crash).toBeNull()
    await live.event('inc')
    expect(live.html()).toBe('<p>1</p>')
  })

  it('ends the view and reports the crash when a handler throws', async () => {
    const live = await mountView(Counter)
    await expect(live.event('boom')).rejects.toMatchObject({ code: 'view.crashed' })
    expect(live.crash?.code).toBe('view.crashed')
    await expect(live.event('inc')).rejects.toMatchObject({ code: 'view.crashed' })
  })

  it('delivers pub/sub messages to handleInfo and unsubscribes when it ends', async () => {
    class Subscriber extends Counter {
      override mount() {
        this.subscribe('ticks')
        this.every(10_000, 'never')
        return super.mount()
      }
    }
    const services = testServices()
    const live = await mountView(Subscriber, { services })
    expect(services.pubsub.subscriberCount('ticks')).toBe(1)
    await services.pubsub.broadcast('ticks', 'tick')
    await live.info('noop')
    expect(live.html()).toBe('<p>100</p>')
    live.stop()
    expect(services.pubsub.subscriberCount('ticks')).toBe(0)
  })

  it('removes its presences when it ends', async () => {
    class Present extends Counter {
      override mount() {
        this.track('room', 'ada', { tab: 1 })
        return super.mount()
      }
    }
    const services = testServices()
    const live = await mountView(Present, { services })
    expect(Object.keys(services.presence.list('room'))).toEqual(['ada'])
    live.stop()
    expect(services.presence.list('room')).toEqual({})
  })

  it('removes its presences and subscriptions when it crashes', async () => {
    class Present extends Counter {
      override mount() {
        this.track('room', 'ada', { tab: 1 })
        this.subscribe('room')
        return super.mount()
      }
    }
    const services = testServices()
    const live = await mountView(Present, { services })
    expect(Object.keys(services.presence.list('room'))).toEqual(['ada'])
    await expect(live.event('boom')).rejects.toMatchObject({ code: 'view.crashed' })
    expect(services.presence.list('room')).toEqual({})
    expect(services.pubsub.subscriberCount('room')).toBe(0)
    expect(live.view.state.count).toBe(0)
  })

  it('runs handleParams after mount and again after its own pushPatch', async () => {
    class Paged extends LiveView<{ page: string; seen: string[] }> {
      mount() {
        return { page: '?', seen: [] }
      }
      handleParams(params: Record<string, string>) {
        this.assign({ page: params.page ?? '1', seen: [...this.state.seen, params.page ?? '1'] })
      }
      render({ page }: { page: string }) {
        return html`<p>page ${page}</p>`
      }
      events = { next: () => this.pushPatch(`?page=${Number(this.state.page) + 1}`) }
    }
    const live = await mountView(Paged, { url: 'http://localhost/list?page=3' })
    expect(live.html()).toBe('<p>page 3</p>')
    await live.event('next')
    await live.info('settle')
    expect(live.pushes).toEqual([{ event: 'patch', payload: { to: '/list?page=4', replace: false } }])
    expect(live.html()).toBe('<p>page 4</p>')
    await live.patch('/list?page=9')
    expect(live.view.state.seen).toEqual(['3', '4', '9'])
  })

  it('hands handleInfo any message as it came: one shaped like its own, a proxy, null', async () => {
    const seen: unknown[] = []
    class Listener extends LiveView<{ n: number }> {
      mount() {
        this.subscribe('any')
        return { n: 0 }
      }
      handleInfo(message: unknown) {
        seen.push(message)
        this.assign({ n: seen.length })
      }
      render({ n }: { n: number }) {
        return html`<p>${n}</p>`
      }
    }
    const services = testServices()
    const live = await mountView(Listener, { services })
    const lookalike = { kind: 'event', name: 'inc', value: {}, msg: { kind: 'patch' } }
    // Every trap throws: telling a message from the framework's own must not touch it.
    const trap = () => {
      throw new Error('trap')
    }
    const proxy = new Proxy({}, { get: trap, has: trap, getPrototypeOf: trap, ownKeys: trap })
    for (const message of [lookalike, proxy, null, undefined, 7]) {
      await services.pubsub.broadcast('any', message)
    }
    await services.pubsub.settled()
    expect(live.crash).toBeNull()
    expect(seen).toHaveLength(5)
    expect(seen[0]).toBe(lookalike)
    expect(seen[1]).toBe(proxy)
    expect(seen.slice(2)).toEqual([null, undefined, 7])
    expect(live.html()).toBe('<p>5</p>')
  })

  it('renders once for messages that queued up while it was busy', async () => {
    let renders = 0
    class Feed extends LiveView<{ last: number }> {
      static override shareRenders = false
      mount() {
        this.subscribe('feed')
        return { last: 0 }
      }
      handleInfo(message: unknown) {
        if (typeof message === 'number') this.assign({ last: message })
      }
      render({ last }: { last: number }) {
        renders++
        return html`<p>${last}</p>`
      }
    }
    const services = testServices()
    const live = await mountView(Feed, { services })
    renders = 0
    for (let n = 1; n <= 5; n++) void services.pubsub.broadcast('feed', n)
    await services.pubsub.settled()
    await live.info('settle')
    expect(live.html()).toBe('<p>5</p>')
    expect(renders).toBe(1)
  })
})

describe('ViewProcess redirect and pushPatch', () => {
  // The common "?next=" view: after login, send the user where they were going.
  class Login extends LiveView<{ next: string }> {
    mount({ params }: MountContext) {
      return { next: params.next ?? '/' }
    }
    render({ next }: { next: string }) {
      return html`<p>${next}</p>`
    }
    events = {
      done: () => this.redirect(this.state.next),
      patch: () => this.pushPatch(this.state.next),
    }
  }
  const badRedirect = { code: 'view.crashed', cause: { code: 'view.bad-redirect' } }

  it('never sends a javascript: URL from ?next= to the browser', async () => {
    const live = await mountView(Login, { url: 'http://localhost/login?next=javascript:alert(1)' })
    await expect(live.event('done')).rejects.toMatchObject(badRedirect)
    expect(live.pushes).toEqual([])
  })

  it('never redirects to a protocol-relative //host from ?next=', async () => {
    const live = await mountView(Login, { url: 'http://localhost/login?next=//evil.example' })
    await expect(live.event('done')).rejects.toMatchObject(badRedirect)
    expect(live.pushes).toEqual([])
  })

  it('never patches the URL to another origin', async () => {
    const live = await mountView(Login, { url: 'http://localhost/login?next=https://evil.example/' })
    await expect(live.event('patch')).rejects.toMatchObject(badRedirect)
    expect(live.pushes).toEqual([])
  })

  it('sends a path or an https URL on', async () => {
    const local = await mountView(Login, { url: 'http://localhost/login?next=/orders/7' })
    await local.event('done')
    const web = await mountView(Login, { url: 'http://localhost/login?next=https://example.com/' })
    await web.event('done')
    expect([...local.pushes, ...web.pushes]).toEqual([
      { event: 'redirect', payload: { to: '/orders/7' } },
      { event: 'redirect', payload: { to: 'https://example.com/' } },
    ])
  })

  it('refuses a bad redirect made in mount, so the view does not mount', async () => {
    class Guarded extends Login {
      override mount(context: MountContext) {
        this.redirect(context.params.next ?? '/')
        return super.mount(context)
      }
    }
    await expect(
      mountView(Guarded, { url: 'http://localhost/?next=javascript:alert(1)' }),
    ).rejects.toMatchObject({ code: 'view.crashed', cause: { code: 'view.bad-redirect' } })
  })
})

describe('ViewProcess route params', () => {
  class Item extends LiveView<{ seen: Record<string, string> }> {
    mount() {
      return { seen: {} }
    }
    handleParams(params: Record<string, string>) {
      this.assign({ seen: params })
    }
    render() {
      return html`<p></p>`
    }
    events = { away: () => this.pushPatch('/about?tab=1') }
  }

  const mountItem = async (pushes: string[] = []) => {
    const services = testServices()
    const process = new ViewProcess(Item, services, {
      changed: () => void process.takeDiff(),
      push: (event) => void pushes.push(event),
      crashed: () => {},
    })
    const url = new URL('http://localhost/items/7')
    const paramsFor = (next: URL) => {
      const match = /^\/items\/([^/]+)$/.exec(next.pathname)
      return match ? { id: match[1]! } : null
    }
    await process.mount({ params: { id: '7' }, session: {}, isConnected: true, url, form: {}, paramsFor })
    return process
  }

  it('lets route params win over the query on a later URL change', async () => {
    const process = await mountItem()
    await process.params(new URL('http://localhost/items/7?id=666'))
    expect((process.view as Item).state.seen).toEqual({ id: '7' })
  })

  it('takes the new path’s route params after a patch within the route', async () => {
    const process = await mountItem()
    await process.params(new URL('http://localhost/items/8?tab=1'))
    expect((process.view as Item).state.seen).toEqual({ id: '8', tab: '1' })
  })

  it('refuses a pushPatch to a path its route does not match', async () => {
    const process = await mountItem()
    await expect(process.event('away', {})).rejects.toMatchObject({ code: 'view.crashed' })
  })
})
