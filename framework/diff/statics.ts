/**
 * The per-connection record of which templates' statics the client already holds. Statics
 * travel once per connection, as `{"t": {id: [static, ...]}}` beside a render or diff; after
 * that the id alone names them. A rooted template (one element) carries, as a trailing number,
 * the offset in its first static where the client may mark the element for targeted patching.
 */
import type { TemplateInfo } from '../template/index.ts'
import type { TemplateSink, Wire, WireObject } from './wire.ts'

/** Which templates one connection has been sent. */
export class StaticsCache {
  // An array, not a Set: a socket sees tens of templates, and ten thousand sockets each holding
  // a hash table would cost more than the linear scans do.
  #sent: number[] = []

  /** The statics table for the templates not yet sent, marking them sent; undefined if none. */
  take(sink: TemplateSink): WireObject | undefined {
    if (sink.size === 0) return undefined // most diffs: no template the client lacks
    let table: WireObject | undefined
    for (const template of sink) {
      if (this.#sent.includes(template.id)) continue
      this.#sent.push(template.id)
      ;(table ??= {})[template.id] = staticsEntry(template)
    }
    return table
  }

  /** Forgets everything, as after the client lost its table (a new socket). */
  clear(): void {
    this.#sent = []
  }

  get size(): number {
    return this.#sent.length
  }
}

const staticsEntry = (template: TemplateInfo): Wire[] => {
  const entry: Wire[] = [...template.statics]
  if (template.rootOffset !== null) entry.push(template.rootOffset)
  return entry
}
