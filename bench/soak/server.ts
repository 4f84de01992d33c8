/**
 * The soak's server child: the demo app exactly as `npm start` builds it, on an ephemeral
 * loopback port, plus one channel of its own (the demo has none) for the hostile clients that
 * stop reading a channel. It prints `{"url": …}` once listening and exits when its stdin closes,
 * so it never outlives the soak, even one killed with SIGKILL.
 */
import { Channel } from '../../framework/index.ts'
import { startDemo } from '../../demo/app.ts'

/**
 * `ping:*`: a join tracks presence; `ping` is answered with its payload and broadcast to every
 * client on the topic, fire and forget as docs/channels.md shows. A client that stops reading
 * gets both, the reply and the broadcast, queued against it.
 */
class PingChannel extends Channel {
  join(params: Record<string, unknown>) {
    this.track(typeof params['nick'] === 'string' ? params['nick'] : 'anonymous', { since: Date.now() })
    return { present: Object.keys(this.listPresence()).length }
  }

  handleIn(event: string, payload: Record<string, unknown>) {
    if (event !== 'ping') return { error: 'unknown event' }
    void this.broadcast('pong', payload)
    return payload
  }
}

const demo = await startDemo({ port: 0, channels: { 'ping:*': PingChannel } })
process.stdout.write(`${JSON.stringify({ url: demo.url })}\n`)

const stop = (): void => {
  demo.close().finally(() => process.exit(0))
}
process.stdin.on('close', stop).resume()
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
