/**
 * The floor: a bare ws server that, per tick, serialises one frame of the given size (holding
 * the publish timestamp) once, as bytes, and writes it to every socket. Nothing can fan out a
 * tick of that size with less work on this stack.
 */
import { serveBare } from './bare.ts'

const frameBytes = Number(process.argv[2] ?? 400)

const frameFor = (ts: number): Buffer => {
  const head = `["1",null,"bare","tick",{"ts":${ts},"p":"`
  const tail = '"}]'
  const pad = Math.max(0, frameBytes - head.length - tail.length)
  return Buffer.from(head + 'x'.repeat(pad) + tail)
}

serveBare((sockets, tick) => {
  const frame = frameFor(tick.ts)
  for (const ws of sockets) ws.send(frame)
})
