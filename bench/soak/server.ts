/**
 * The soak's server child: the demo app exactly as `npm start` builds it, on an ephemeral
 * loopback port, plus one channel of its own (the demo has none) for the hostile clients that
 * stop reading a channel. It prints `{"url": …}` once listening and exits when its stdin closes,
 * so it never outlives the soak, even one killed with SIGKILL.
 */
import { Channel, type Logger } from '../../framework/index.ts'
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

/**
 * One JSON line per report on stderr, so the soak can tell a refused join (warn: forged and
 * replayed tokens are part of its traffic) from a crash (error), stack and all on one line.
 */
const line =
  (level: string) =>
  (object: Record<string, unknown>, message = ''): void => {
    const { err, ...fields } = object
    const error = err instanceof Error ? { message: err.message, stack: err.stack } : err
    process.stderr.write(`${JSON.stringify({ level, message, ...fields, err: error })}\n`)
  }
const logger: Logger = { error: line('error'), warn: line('warn'), info: line('info'), debug: line('debug') }

const demo = await startDemo({ port: 0, channels: { 'ping:*': PingChannel }, logger })
process.stdout.write(`${JSON.stringify({ url: demo.url })}\n`)

const stop = (): void => {
  demo.close().finally(() => process.exit(0))
}
process.stdin.on('close', stop).resume()
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
