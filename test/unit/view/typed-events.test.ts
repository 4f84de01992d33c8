import { describe, expect, expectTypeOf, it } from 'vitest'
import {
  eventOf,
  html,
  LiveComponent,
  LiveView,
  on,
  type EventBinding,
  type EventInput,
  type EventName,
  type EventPayload,
  type EventValue,
  type InfoOf,
} from '../../../framework/index.ts'
import { z } from 'zod'
import { mountView } from '../../../framework/testing/index.ts'
import { expectGuideShowsExample } from '../guide-example.ts'
import { CounterView } from '../../../demo/views/counter.ts'
import { ProfileView, type ProfileInfo } from '../../../docs/guides/examples/typed-events.ts'

// A view that declares no events of its own: any name is accepted (nothing to check against).
class PlainView extends LiveView<{ n: number }> {
  mount() {
    return { n: 0 }
  }
  render({ n }: { n: number }) {
    return html`<p>${n}</p>`
  }
}

// Checked by `tsc --noEmit` (npm test runs it) and never called: each @ts-expect-error fails the
// type check when the line under it compiles, so a typo that stops being an error is caught.
export const typeChecks = async (): Promise<void> => {
  expectTypeOf<EventName<ProfileView>>().toEqualTypeOf<'save' | 'clear'>()
  expectTypeOf<EventPayload<ProfileView, 'save'>>().toEqualTypeOf<{ name: string }>()
  expectTypeOf<EventPayload<ProfileView, 'clear'>>().toEqualTypeOf<EventValue>()
  expectTypeOf<EventPayload<CounterView, 'add'>>().toEqualTypeOf<{ by?: unknown }>()
  expectTypeOf<InfoOf<ProfileView>>().toEqualTypeOf<ProfileInfo>()
  expectTypeOf<InfoOf<CounterView>>().toEqualTypeOf<unknown>()
  expectTypeOf<EventName<PlainView>>().toEqualTypeOf<string>()
  expectTypeOf<EventInput<ProfileView, 'save'>>().toEqualTypeOf<{ name: string }>()
  // A coercing schema takes what the browser sends (any n) and gives the handler a number.
  const coercing = { events: { set: on(z.object({ n: z.coerce.number() }), ({ n }) => n) } }
  expectTypeOf<EventPayload<typeof coercing, 'set'>>().toEqualTypeOf<{ n: number }>()
  expectTypeOf<EventInput<typeof coercing, 'set'>>().toEqualTypeOf<{ n: unknown }>()

  // @ts-expect-error -- a typo in a binding's event name
  eventOf<CounterView>('nc')
  // @ts-expect-error -- the name of another view's event
  eventOf<CounterView>('save')
  // @ts-expect-error -- no view named: nothing to check against, so nothing passes
  eventOf('inc')
  const checked: EventBinding<ProfileView> = eventOf<ProfileView>('save')
  // @ts-expect-error -- a plain string is not a checked name
  const unchecked: EventBinding<ProfileView> = 'save'
  void [checked, unchecked]

  const profile = await mountView(ProfileView)
  await profile.event('save', { name: 'Ada' })
  await profile.event('clear')
  // @ts-expect-error -- a typo in the testing API
  await profile.event('sve', { name: 'Ada' })
  // @ts-expect-error -- the payload's field has the wrong type
  await profile.event('save', { name: 7 })
  // @ts-expect-error -- save's payload is required (its schema needs a name)
  await profile.event('save')
  await profile.info({ kind: 'renamed', name: 'Grace' })
  // @ts-expect-error -- not a ProfileInfo
  await profile.info({ kind: 'renamed' })
  await profile.event('anything', {}, 1) // to a component: its events are checked at run time

  class TickingView extends LiveView<{ n: number }, { kind: 'tick' }> {
    mount() {
      this.every(1000, { kind: 'tick' })
      // @ts-expect-error -- a timer message handleInfo does not take
      this.sendAfter(10, 'tock')
      return { n: 0 }
    }
    render({ n }: { n: number }) {
      return html`<p>${n}</p>`
    }
  }
  void TickingView

  class Card extends LiveComponent<{ id: string }, { isOpen: boolean }> {
    mount() {
      return { isOpen: false }
    }
    render() {
      return html`<button live-click=${eventOf<Card>('toggle')} live-target=${this.myself}>more</button>`
    }
    events = { toggle: () => this.assign({ isOpen: !this.state.isOpen }) }
  }
  // @ts-expect-error -- components are checked the same way
  eventOf<Card>('toggel')
  const plain = await mountView(PlainView)
  await plain.event('whatever', { any: 'value' })
}

describe('eventOf', () => {
  it('returns the event name itself when a render binds it', () => {
    expect(eventOf<CounterView>('inc')).toBe('inc')
    expect(html`<button live-click=${eventOf<CounterView>('inc')}>+</button>`).toBeDefined()
  })

  it('binds the demo counter, whose buttons still count when clicked by name', async () => {
    const counter = await mountView(CounterView)
    expect(counter.html()).toContain('live-click="inc"')
    await counter.event('inc')
    await counter.event('add', { by: '10' })
    expect(counter.html()).toContain('<p class="count" data-testid="count">11</p>')
    counter.stop()
  })
})

describe('docs/guides/typed-events.md', () => {
  it('shows the example file verbatim', () => expectGuideShowsExample('typed-events'))

  it('saves, clears and takes typed messages when driven through the testing API', async () => {
    const profile = await mountView(ProfileView)
    expect(profile.html()).toContain('live-submit="save"')
    await profile.event('save', { name: 'Ada' })
    expect(profile.html()).toContain('value="Ada"')
    expect(profile.html()).toContain('Saved 1 times')
    await profile.info({ kind: 'renamed', name: 'Grace' })
    expect(profile.html()).toContain('value="Grace"')
    await profile.event('clear')
    expect(profile.html()).not.toContain('value="Grace"')
    expect(profile.crash).toBeNull()
    profile.stop()
  })
})
