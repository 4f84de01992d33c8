/** `npm start`: the demo on http://localhost:3000 (PORT overrides), no external service. */
import { startDemo } from './app.ts'

const port = Number(process.env.PORT ?? 3000)
const demo = await startDemo({ port })
console.log(`Switchboard demo on ${demo.url.replace('127.0.0.1', 'localhost')}`)

const shutdown = (): void => {
  demo.close().finally(() => process.exit(0))
}
process.on('SIGINT', shutdown)
process.on('SIGTERM', shutdown)
