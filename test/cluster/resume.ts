/**
 * One view resume, as the cluster suite and bench/cluster.ts both run it: a tab on web node
 * `first` (test/cluster/view-node.ts, behind a balancer that prefers it) counts to 42 and types a
 * draft; `first` gets `fault`; the page's real client (happy-dom) reconnects by itself to
 * `second`. Resolves with what the tab shows there and how long that took.
 */
import { openPage } from '../../framework/testing/index.ts'
import { until } from '../unit/cluster/fixtures.ts'
import { kill, type NodeHandle } from './harness.ts'

/** What the tab showed after the fault, and when. */
export type Resumed = { count: string; draft: string; field: string; ms: number; countAfterClick: string }

export const DRAFT = 'half a sentence'

export const resumeOnce = async (
  balancerPort: number,
  first: NodeHandle,
  second: NodeHandle,
  fault: 'SIGKILL' | 'SIGTERM',
): Promise<Resumed> => {
  const page = await openPage(`http://127.0.0.1:${balancerPort}/`, { timeoutMs: 20_000 })
  try {
    const root = page.document.querySelector<HTMLElement>('[data-sb-root]')!
    const text = (id: string): string => page.document.getElementById(id)?.textContent ?? ''
    const button = page.document.getElementById('inc')!
    for (let i = 0; i < 42; i++) page.click(button)
    page.fill(page.document.querySelector('input[name="draft"]')!, DRAFT)
    await until(async () => text('count') === '42' && text('draft-echo') === DRAFT, 'count 42 and the draft', 20_000)
    if ((await first.get<number>('/views')) !== 1) throw new Error('the tab is not on the first node')
    // A SIGKILL leaves only what was written: wait until the snapshot holds what the tab shows.
    const key = `view:Counter:${root.id}`
    await until(async () => {
      const saved = await second.get<{ value: { count: number; draft: string } } | null>(`/snapshot?key=${key}`)
      return saved?.value.count === 42 && saved.value.draft === DRAFT
    }, 'the snapshot stored', 20_000)
    const faultAt = performance.now()
    await kill(first.proc, fault)
    await until(async () => (await second.get<number>('/views')) === 1 && root.classList.contains('sb-connected'), 'the tab on the second node', 20_000)
    const ms = Math.round(performance.now() - faultAt)
    const shown = { count: text('count'), draft: text('draft-echo'), ms }
    const field = page.document.querySelector<HTMLInputElement>('input[name="draft"]')!.value
    page.click(button)
    await until(async () => text('count') === '43', 'count 43 on the second node', 20_000)
    return { ...shown, field, countAfterClick: text('count') }
  } finally {
    await page.close()
  }
}
