/**
 * The soak's server child: the demo app exactly as `npm start` builds it, on an ephemeral
 * loopback port. It prints `{"url": …}` once listening and exits when its stdin closes, so it
 * never outlives the soak, even one killed with SIGKILL.
 */
import { startDemo } from '../../demo/app.ts'

const demo = await startDemo({ port: 0 })
process.stdout.write(`${JSON.stringify({ url: demo.url })}\n`)

const stop = (): void => {
  demo.close().finally(() => process.exit(0))
}
process.stdin.on('close', stop).resume()
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
