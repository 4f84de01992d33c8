/**
 * The floor: a bare ws server that, per tick, serialises one frame of the given size (holding
 * the publish timestamp) once, as bytes, and writes it to every socket. Nothing can fan out a
 * tick of that size with less work on this stack.
 */
import { emit, onCommands } from '../shared/children.ts'
import { startBare } from './bare.ts'
import { runTicks } from './ticker.ts'

const frameBytes = Number(process.argv[2] ?? 400)
const { sockets } = startBare()

const frameFor = (ts: number): Buffer => {
  const head = `["1",null,"bare","tick",{"ts":${ts},"p":"`
  const tail = '"}]'
  const pad = Math.max(0, frameBytes - head.length - tail.length)
  return Buffer.from(head + 'x'.repeat(pad) + tail)
}

onCommands(async (command) => {
  if (command.cmd === 'gc') {
    for (let i = 0; i < 3; i++) globalThis.gc?.()
    emit({ event: 'gc', connections: sockets.size })
  } else if (command.cmd === 'ticks') {
    const published = await runTicks(Number(command.count), Number(command.hz), (tick) => {
      const frame = frameFor(tick.ts)
      for (const ws of sockets) ws.send(frame)
    })
    emit({ event: 'ticks', published })
  }
})
