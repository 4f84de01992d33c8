import { describe, expect, it } from 'vitest'
import { html, LiveView, type MountContext, type Rendered } from '../../../framework/index.ts'
import { mountView, testServices } from '../../../framework/testing/index.ts'
import { sharedRender, shareableRender } from '../../../framework/view/sharing.ts'
import { CounterView } from '../../../demo/views/counter.ts'
import { SignupView } from '../../../demo/views/signup.ts'
import { createDashboardView } from '../../../demo/views/dashboard.ts'
import type { BoardServices } from '../../../demo/views/dashboard/board.ts'
import type { Fleet } from '../../../demo/sim/index.ts'

type Metrics = { values: number[]; at: number }
let renders = 0

class Board extends LiveView<Metrics> {
  mount(): Metrics {
    this.subscribe('metrics')
    return { values: [], at: 0 }
  }
  render({ values, at }: Metrics) {
    renders++
    return html`<ul>${values.map((v) => html`<li>${v}</li>`)}</ul><time>${at}</time>`
  }
  handleInfo(message: unknown) {
    if (typeof message === 'object') this.assign(message as Metrics)
  }
}

class PrivateBoard extends Board {
  static override shareRenders = false
}

describe('render sharing', () => {
  it('renders and diffs once when a broadcast gives many views the same values', async () => {
    const services = testServices()
    const views = await Promise.all(Array.from({ length: 50 }, () => mountView(Board, { services })))
    renders = 0
    const message = { values: [1, 2, 3], at: 17 }
    await services.pubsub.broadcast('metrics', message)
    await Promise.all(views.map((v) => v.info('settle')))
    expect(renders).toBe(1)
    for (const view of views) expect(view.html()).toBe('<ul><li>1</li><li>2</li><li>3</li></ul><time>17</time>')
  })

  it('renders each view when their values differ', async () => {
    const services = testServices()
    const a = await mountView(Board, { services })
    const b = await mountView(Board, { services })
    renders = 0
    await a.info({ values: [1], at: 1 })
    await b.info({ values: [1], at: 2 })
    expect(renders).toBe(2)
    expect(a.html()).toContain('<time>1</time>')
    expect(b.html()).toContain('<time>2</time>')
  })

  it('renders every view of a class that opts out', async () => {
    const services = testServices()
    const views = await Promise.all(Array.from({ length: 5 }, () => mountView(PrivateBoard, { services })))
    renders = 0
    await services.pubsub.broadcast('metrics', { values: [4], at: 5 })
    await Promise.all(views.map((v) => v.info('settle')))
    expect(renders).toBe(5)
  })

  it('leaves the views that took one broadcast holding one state object between them', async () => {
    const services = testServices()
    const views = await Promise.all(Array.from({ length: 20 }, () => mountView(Board, { services })))
    await services.pubsub.broadcast('metrics', { values: [7, 8], at: 9 })
    await Promise.all(views.map((v) => v.info('settle')))
    const first = views[0]!.view.state
    for (const view of views) expect(view.view.state).toBe(first)
    expect(first).toEqual({ values: [7, 8], at: 9 })
  })

  it('freezes a shared state, so writing past assign fails instead of changing other views', async () => {
    const services = testServices()
    const a = await mountView(Board, { services })
    const b = await mountView(Board, { services })
    await services.pubsub.broadcast('metrics', { values: [1], at: 3 })
    await Promise.all([a, b].map((v) => v.info('settle')))
    expect(() => {
      ;(a.view.state as { at: number }).at = 4
    }).toThrow(TypeError)
    expect(b.html()).toContain('<time>3</time>')
  })

  it('keeps unshared views on their own unfrozen state', async () => {
    const services = testServices()
    const a = await mountView(PrivateBoard, { services })
    const b = await mountView(PrivateBoard, { services })
    await services.pubsub.broadcast('metrics', { values: [1], at: 3 })
    await Promise.all([a, b].map((v) => v.info('settle')))
    expect(a.view.state).not.toBe(b.view.state)
    expect(Object.isFrozen(a.view.state)).toBe(false)
  })

  it('never freezes the object mount returned, which the application may still hold', async () => {
    const held = { values: [1], at: 0 }
    class Held extends Board {
      override mount(): Metrics {
        return held
      }
    }
    const services = testServices()
    await mountView(Held, { services })
    await mountView(Held, { services })
    expect(Object.isFrozen(held)).toBe(false)
    held.at = 2
    expect(held.at).toBe(2)
  })
})

type Count = { count: number }
const greet = (user: string, { count }: Count): Rendered => html`<p>${user}: ${count}</p>`

// Two users' views of one class, mounted on one node, then one broadcast: each must show its
// own name, whatever the class does with the session.
const aliceAndBob = async (View: new () => LiveView<Count>) => {
  const services = testServices()
  const alice = await mountView(View, { services, session: { user: 'alice' } })
  const bob = await mountView(View, { services, session: { user: 'bob' } })
  const atMount = [alice.html(), bob.html()]
  await services.pubsub.broadcast('ticks', 1)
  await Promise.all([alice, bob].map((v) => v.info('settle')))
  return { atMount, afterBroadcast: [alice.html(), bob.html()], alice, bob, services }
}

// A view that shows its signed-in user: mount keeps the name; subclasses render it in
// different ways, each of which once leaked to other users.
abstract class Greeting extends LiveView<Count> {
  mount(context: MountContext): Count {
    this.subscribe('ticks')
    this.keep(String(context.session.user))
    return { count: 0 }
  }
  abstract keep(user: string): void
  handleInfo(message: unknown) {
    if (typeof message === 'number') this.assign({ count: message })
  }
}

class FieldGreeting extends Greeting {
  user = ''
  keep(user: string) {
    this.user = user
  }
  render(state: Count) {
    return greet(this.user, state)
  }
}

class PrivateFieldGreeting extends Greeting {
  #user = ''
  keep(user: string) {
    this.#user = user
  }
  render(state: Count) {
    return greet(this.#user, state)
  }
}

class GetterGreeting extends Greeting {
  #user = ''
  get user() {
    return this.#user
  }
  keep(user: string) {
    this.#user = user
  }
  render(state: Count) {
    return greet(this.user, state)
  }
}

// The render text names no `this`, but the closure carries the user: an own `render`.
class ClosureGreeting extends Greeting {
  keep(user: string) {
    this.render = (state: Count) => greet(user, state)
  }
  render({ count }: Count) {
    return html`<p>nobody: ${count}</p>`
  }
}

class BoundGreeting extends Greeting {
  keep(user: string) {
    this.render = greet.bind(null, user)
  }
  render({ count }: Count) {
    return html`<p>nobody: ${count}</p>`
  }
}

class ArrowGreeting extends Greeting {
  user = ''
  keep(user: string) {
    this.user = user
  }
  render = (state: Count) => greet(this.user, state)
}

const bothUsers = {
  atMount: ['<p>alice: 0</p>', '<p>bob: 0</p>'],
  afterBroadcast: ['<p>alice: 1</p>', '<p>bob: 1</p>'],
}

describe('render sharing across sessions', () => {
  it("never shows Bob Alice's name when render reads a field set from the session", async () => {
    expect(await aliceAndBob(FieldGreeting)).toMatchObject(bothUsers)
  })

  it('never shares a render that reads a #private field', async () => {
    expect(await aliceAndBob(PrivateFieldGreeting)).toMatchObject(bothUsers)
  })

  it('never shares a render that reads a getter', async () => {
    expect(await aliceAndBob(GetterGreeting)).toMatchObject(bothUsers)
  })

  it('never shares an own render: a closure that captured the user', async () => {
    expect(await aliceAndBob(ClosureGreeting)).toMatchObject(bothUsers)
  })

  it('never shares an own render: a function bound to the user', async () => {
    expect(await aliceAndBob(BoundGreeting)).toMatchObject(bothUsers)
  })

  it('never shares an own render: a class-field arrow', async () => {
    expect(await aliceAndBob(ArrowGreeting)).toMatchObject(bothUsers)
  })

  it("never shows Bob the render Alice's view left behind after she left", async () => {
    const services = testServices()
    const alice = await mountView(FieldGreeting, { services, session: { user: 'alice' } })
    alice.stop()
    const bob = await mountView(FieldGreeting, { services, session: { user: 'bob' } })
    expect(bob.html()).toBe('<p>bob: 0</p>')
  })

  it('forgets what the views of a class rendered once the last of them ends', async () => {
    const NONE: number[] = []
    class Quiet extends Board {
      override mount(): Metrics {
        return { values: NONE, at: 0 }
      }
    }
    const services = testServices()
    const first = await mountView(Quiet, { services })
    const second = await mountView(Quiet, { services })
    const left = first.view.state
    expect(second.view.state).toBe(left) // shared while a view of the class runs
    first.stop()
    second.stop()
    expect(sharedRender(first.view, { values: NONE, at: 0 })).toBeUndefined()
    const later = await mountView(Quiet, { services })
    expect(later.view.state).toEqual(left)
    expect(later.view.state).not.toBe(left)
  })
})

describe('shareableRender', () => {
  it('lets a class share whose render reads its state alone', () => {
    expect(shareableRender(Board)).toBe(Board.prototype.render)
    class Sub extends Board {}
    expect(shareableRender(Sub)).toBe(Board.prototype.render)
  })

  it("keeps the demo's dashboard, counter and signup views sharing", () => {
    const DashboardView = createDashboardView({} as Fleet, {} as BoardServices)
    expect(shareableRender(DashboardView)).toBe(DashboardView.prototype.render)
    expect(shareableRender(CounterView)).toBe(CounterView.prototype.render)
    expect(shareableRender(SignupView)).toBe(SignupView.prototype.render)
  })

  it('refuses a class that opts out, or whose render says this or super', () => {
    expect(shareableRender(PrivateBoard)).toBeNull()
    expect(shareableRender(FieldGreeting)).toBeNull()
    class Super extends Board {
      override render(state: Metrics) {
        return super.render(state)
      }
    }
    expect(shareableRender(Super)).toBeNull()
  })

  it('refuses a bound, native or accessor render', () => {
    class Bound extends Board {}
    Object.defineProperty(Bound.prototype, 'render', { value: greet.bind(null, 'x') })
    expect(shareableRender(Bound)).toBeNull()
    class Accessor extends Board {}
    Object.defineProperty(Accessor.prototype, 'render', { get: () => Board.prototype.render })
    expect(shareableRender(Accessor)).toBeNull()
  })

  it('refuses a render whose own toString hides what it reads', () => {
    class Liar extends Board {}
    const render = function (this: { user: string }) {
      return html`<p>${this.user}</p>`
    }
    render.toString = () => 'render(state) { return html`` }'
    Object.defineProperty(Liar.prototype, 'render', { value: render })
    expect(shareableRender(Liar)).toBeNull()
  })

  it('refuses a render that could reach the instance through eval', () => {
    class Evil extends Board {
      override render() {
        // eslint-disable-next-line no-eval
        return eval('html`<p>${th' + 'is.user}</p>`') as Rendered
      }
    }
    expect(shareableRender(Evil)).toBeNull()
  })

  it('refuses a class that redefines the state getter render is given', () => {
    class Mixed extends Board {
      #user = 'alice'
      override get state(): Metrics {
        return { ...super.state, user: this.#user } as Metrics
      }
    }
    expect(shareableRender(Mixed)).toBeNull()
  })
})
