import { describe, expect, it } from 'vitest'
import { html, LiveView, loading, type AsyncOutcome, type AsyncResult } from '../../../framework/index.ts'
import { mountView, testServices } from '../../../framework/testing/index.ts'
import { renderDead, type MountContext } from '../../../framework/view/index.ts'
import type { ErrorContext } from '../../../framework/runtime/index.ts'

/** A promise settled from outside, and the signal its task was given. */
const deferred = <T>() => {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((yes, no) => ((resolve = yes), (reject = no)))
  return { promise, resolve, reject }
}

const until = async (check: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5))
  if (!check()) throw new Error(`timed out waiting for ${what}`)
}

type Org = { name: string }
type OrgState = { org: AsyncResult<Org>; count: number }

// Each test hands the next task's promise here, and sees the signals tasks were given.
let next = deferred<{ org: Org }>()
const signals: AbortSignal[] = []

const show = (org: AsyncResult<Org>): string =>
  org.status === 'ok' ? `ok:${org.value.name}` : `${org.status}${org.value ? `(${org.value.name})` : ''}${org.status === 'failed' ? `:${org.reason}` : ''}`

class OrgView extends LiveView<OrgState> {
  mount() {
    this.load()
    return { org: loading<Org>(), count: 0 }
  }
  load() {
    this.assignAsync('org', (signal) => {
      signals.push(signal)
      return next.promise
    })
  }
  render({ org, count }: OrgState) {
    return html`<p id="org">${show(org)}</p><p id="count">${count}</p>`
  }
  events = {
    reload: () => this.load(),
    inc: () => this.assign({ count: this.state.count + 1 }),
  }
}

const connected = (): MountContext => ({
  params: {},
  session: {},
  isConnected: false,
  url: new URL('http://localhost/org'),
  form: {},
})

describe('assignAsync', () => {
  it('renders loading first, then the loaded value, while the view keeps handling events', async () => {
    next = deferred()
    const mounted = await mountView(OrgView)
    expect(mounted.html()).toContain('<p id="org">loading</p>')
    await mounted.event('inc')
    expect(mounted.html()).toContain('<p id="count">1</p>')
    next.resolve({ org: { name: 'Acme' } })
    await until(() => mounted.html().includes('ok:Acme'), 'the loaded org')
    expect(mounted.html()).toContain('<p id="count">1</p>')
    expect(mounted.crash).toBeNull()
  })

  it('shows the dead render loading at once and never runs the task there', async () => {
    const before = signals.length
    const dead = await renderDead(OrgView, connected())
    expect(dead.kind).toBe('rendered')
    expect(JSON.stringify(dead)).toContain('loading')
    expect(signals.length).toBe(before)
  })

  it('turns a rejected task into a failed state with its reason, reported at warn, without a crash', async () => {
    next = deferred()
    const reported: [unknown, ErrorContext][] = []
    const services = { ...testServices(), report: (error: unknown, context: ErrorContext) => void reported.push([error, context]) }
    const mounted = await mountView(OrgView, { services })
    next.reject(new Error('org service down'))
    await until(() => mounted.html().includes('failed'), 'the failed state')
    expect(mounted.html()).toContain('failed:org service down')
    expect(mounted.crash).toBeNull()
    expect(reported.map(([error, context]) => [(error as Error).message, context.kind, context.level])).toEqual([
      ['org service down', 'async', 'warn'],
    ])
    await mounted.event('inc')
    expect(mounted.html()).toContain('<p id="count">1</p>')
  })

  it('keeps the loaded value while it loads again, and only the newest task lands', async () => {
    next = deferred()
    const mounted = await mountView(OrgView)
    next.resolve({ org: { name: 'Acme' } })
    await until(() => mounted.html().includes('ok:Acme'), 'the first load')
    const older = (next = deferred())
    await mounted.event('reload')
    expect(mounted.html()).toContain('loading(Acme)')
    const newer = (next = deferred())
    await mounted.event('reload')
    const [, second, third] = signals.slice(-3)
    expect(second?.aborted).toBe(true)
    expect(third?.aborted).toBe(false)
    older.resolve({ org: { name: 'Stale' } })
    newer.resolve({ org: { name: 'Fresh' } })
    await until(() => mounted.html().includes('ok:Fresh'), 'the newest load')
    await mounted.event('inc')
    expect(mounted.html()).not.toContain('Stale')
  })

  it('cancels the task when the view ends: its signal aborts and its outcome goes nowhere', async () => {
    next = deferred()
    const mounted = await mountView(OrgView)
    const signal = signals.at(-1)!
    mounted.stop()
    expect(signal.aborted).toBe(true)
    next.resolve({ org: { name: 'Late' } })
    await new Promise((r) => setTimeout(r, 10))
    expect(mounted.html()).toBe('')
    expect(mounted.crash).toBeNull()
  })

  it('fails the field a task did not give, and a task that throws at once', async () => {
    class Partial extends LiveView<{ a: AsyncResult<number>; b: AsyncResult<number> }> {
      mount() {
        this.assignAsync(['a', 'b'], async () => ({ a: 1 }) as never)
        return { a: loading<number>(), b: loading<number>() }
      }
      render({ a, b }: { a: AsyncResult<number>; b: AsyncResult<number> }) {
        return html`<p>${a.status}</p><p>${b.status === 'failed' ? b.reason : b.status}</p>`
      }
    }
    const partial = await mountView(Partial)
    await until(() => partial.html().includes('ok'), 'the partial result')
    expect(partial.html()).toContain('the task of assignAsync gave no &quot;b&quot;')

    class Throws extends LiveView<{ a: AsyncResult<number> }> {
      mount() {
        this.assignAsync('a', () => {
          throw new Error('no config')
        })
        return { a: loading<number>() }
      }
      render({ a }: { a: AsyncResult<number> }) {
        return html`<p>${a.status === 'failed' ? a.reason : a.status}</p>`
      }
    }
    const throws = await mountView(Throws)
    await until(() => throws.html().includes('no config'), 'the thrown failure')
    expect(throws.crash).toBeNull()
  })
})

describe('startAsync', () => {
  it('delivers each outcome to handleAsync by name, a restarted one only once, after mount', async () => {
    const seen: [string, AsyncOutcome][] = []
    let gate = deferred<number>()
    class Jobs extends LiveView<{ total: number }> {
      async mount() {
        this.startAsync('fast', () => 5)
        await new Promise((r) => setTimeout(r, 10)) // the fast outcome arrives while mounting
        return { total: 0 }
      }
      handleAsync(name: string, outcome: AsyncOutcome) {
        seen.push([name, outcome])
        if (outcome.status === 'ok') this.assign({ total: this.state.total + (outcome.value as number) })
      }
      render({ total }: { total: number }) {
        return html`<p>${total}</p>`
      }
      events = {
        slow: () => this.startAsync('slow', () => gate.promise),
        again: () => this.startAsync('slow', () => 100),
        cancel: () => void this.cancelAsync('slow'),
      }
    }
    const mounted = await mountView(Jobs)
    await until(() => mounted.html().includes('5'), 'the outcome held during mount')
    await mounted.event('slow')
    await mounted.event('again')
    gate.resolve(1000)
    await until(() => mounted.html().includes('105'), 'the restarted task')
    gate = deferred()
    await mounted.event('slow')
    await mounted.event('cancel')
    gate.resolve(7)
    await new Promise((r) => setTimeout(r, 10))
    expect(seen.map(([name, outcome]) => [name, outcome.status === 'ok' ? outcome.value : outcome.reason])).toEqual([
      ['fast', 5],
      ['slow', 100],
    ])
  })
})
