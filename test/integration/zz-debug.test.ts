import { it } from 'vitest'
import { openPage, startServer, waitFor } from './support.ts'
import { CounterView } from './views.ts'
it('dbg', async () => {
  const server = await startServer({ '/counter': CounterView, '/two': [CounterView, CounterView] })
  for (let round = 0; round < 6; round++) {
    const t0 = Date.now()
    const log = (m: string) => console.log(round, Date.now() - t0, m)
    const crashing = await openPage(`${server.url}/two`)
    log('opened crashing')
    const bystander = await openPage(`${server.url}/counter`)
    log('opened bystander')
    const w = crashing.window as any
    w.addEventListener('sb:frame', (e: any) => log('frame ' + JSON.stringify(e.detail)))
    const [first, second] = [...crashing.document.querySelectorAll<HTMLElement>('[data-sb-root]')]
    first!.querySelector<HTMLElement>('#boom')!.click()
    await waitFor(() => first!.classList.contains('sb-error') || first!.classList.contains('sb-loading'), 'error state').catch((e) => log(String(e)))
    log('error state ' + first!.className)
    await waitFor(() => first!.classList.contains('sb-connected'), 'crashed view to rejoin').catch((e) => log(String(e)))
    log('rejoined')
    second!.querySelector<HTMLElement>('#inc')!.click()
    await waitFor(() => second!.querySelector('#count')?.textContent === '1', 'sibling view still live').catch((e) => log(String(e)))
    log('sibling')
    bystander.$('#inc')!.click()
    await waitFor(() => bystander.text('#count') === '1', 'other connection still live').catch((e) => log(String(e)))
    log('bystander')
    await crashing.close()
    log('closed 1')
    await bystander.close()
    log('closed 2')
  }
  await server.close()
}, 120_000)
