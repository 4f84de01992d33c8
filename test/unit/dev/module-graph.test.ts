import { describe, expect, it } from 'vitest'
import { ModuleGraph } from '../../../framework/dev/module-graph.ts'

// main → app → counter (a view module) → label (a helper); app → util; counter → util.
const graph = (): ModuleGraph => {
  const g = new ModuleGraph()
  g.addEdge('main', 'app')
  g.addEdge('app', 'counter')
  g.addEdge('counter', 'label')
  g.addEdge('app', 'util')
  g.addEdge('counter', 'util')
  return g
}
const views = (url: string): boolean => url === 'counter'

describe('ModuleGraph', () => {
  it('reloads a view module in place when it changes', () => {
    expect(graph().plan(['counter'], views)).toEqual({ stale: ['counter'], boundaries: ['counter'], restartAt: null })
  })

  it('climbs from a helper to the view modules that import it, and marks the way stale', () => {
    expect(graph().plan(['label'], views)).toEqual({ stale: ['label', 'counter'], boundaries: ['counter'], restartAt: null })
  })

  it('asks for a restart when a change reaches the entry with no view module between', () => {
    const plan = graph().plan(['util'], views)
    expect(plan.restartAt).toBe('main')
    expect(plan.boundaries).toEqual(['counter'])
    expect(graph().plan(['main'], views).restartAt).toBe('main')
  })

  it('ignores files it never saw imported', () => {
    expect(graph().plan(['README.md'], views)).toEqual({ stale: [], boundaries: [], restartAt: null })
  })

  it('gives every stale module of a change the next version, and leaves the others', () => {
    const g = graph()
    expect(g.versionOf('label')).toBe(0)
    expect(g.bump(['label', 'counter'])).toEqual([['label', 1], ['counter', 1]])
    expect(g.bump(['counter'])).toEqual([['counter', 2]])
    expect([g.versionOf('label'), g.versionOf('counter'), g.versionOf('app')]).toEqual([1, 2, 0])
  })

  it('lists the modules above a change, each once, through a cycle', () => {
    const g = graph()
    g.addEdge('label', 'counter') // a cycle
    expect(g.ancestorsOf(['label']).sort()).toEqual(['app', 'counter', 'label', 'main'])
    expect([...g.importersOf('util')].sort()).toEqual(['app', 'counter'])
  })
})
