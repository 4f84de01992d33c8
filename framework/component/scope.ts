/**
 * Which view a `component()` call belongs to. A render is synchronous, so the view (or dead
 * render) that is rendering sets itself as the scope for the length of the call; a component
 * rendered inside it reaches that view's components and no other. Outside any render, and
 * inside memo() (whose result other views reuse), a component call is refused.
 */
import { LiveError } from '../errors.ts'
import { isMemoRendering, type Rendered } from '../template/index.ts'
import type { ComponentClass, ComponentProps } from './live-component.ts'

/** Where the component calls of one render go: a live view's components or a dead render's. */
export type ComponentRenderer = {
  call(Component: ComponentClass, props: ComponentProps<object>): Rendered
}

/** A render's owner, asked for its renderer on the first component call (most renders make none). */
export type ComponentScope = { components(): ComponentRenderer }

let current: ComponentScope | null = null

/** Runs `render(arg)` with `scope` receiving its component calls. */
export const renderIn = <A, R>(scope: ComponentScope, render: (arg: A) => R, arg: A): R => {
  const outer = current
  current = scope
  try {
    return render(arg)
  } finally {
    current = outer
  }
}

/**
 * Renders a stateful component here, in a view's (or a component's) render:
 * `liveComponent(AlertCard, { id: alert.id, alert })`. The id is unique per class in the view;
 * the component keeps its state while renders keep it, gets `update(props)` when its props
 * change and is destroyed when a render leaves it out. See docs/guides/components.md.
 */
export const liveComponent = <P extends object, S extends object>(
  Component: ComponentClass<P, S>,
  props: ComponentProps<P>,
): Rendered => {
  const { name } = Component
  if (current === null) {
    throw new LiveError('component.outside-render', `${name} was rendered outside render(); call liveComponent() in a view's or component's render`)
  }
  if (isMemoRendering()) {
    throw new LiveError(
      'component.in-memo',
      `${name} was rendered inside memo(): other views reuse that fragment, but a component is its view's own; render it outside memo`,
    )
  }
  return current.components().call(Component as unknown as ComponentClass, props)
}

/** The component's id as text, or `component.bad-id`. */
export const idOf = (Component: Function, props: { readonly id?: unknown }): string => {
  const { id } = props
  if ((typeof id === 'string' && id !== '') || (typeof id === 'number' && Number.isFinite(id))) return String(id)
  throw new LiveError('component.bad-id', `${Component.name} got id ${JSON.stringify(id) ?? String(id)}; pass { id: 'unique-in-view', ... }`)
}
