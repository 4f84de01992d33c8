/**
 * The files of a new Switchboard app: one view, its test, a server, and the scripts `npm run
 * dev`, `npm test` and `npm start`. Versions of the tools are the ones this package is built and
 * tested with.
 */

/** What the starter needs to know to write an app. */
export type AppSpec = {
  /** The npm package name of the app (its folder's name). */
  readonly name: string
  /** How the app depends on Switchboard: a version range, or `file:…` for a packed tarball. */
  readonly switchboard: string
  /** Versions of the tools, by package name, from Switchboard's own package.json. */
  readonly versions: Readonly<Record<string, string>>
}

const TOOLS = ['hono', '@hono/node-server', 'tsx', 'typescript', 'vitest', '@types/node'] as const

/** File path (relative to the app folder) to contents. */
export const appFiles = ({ name, switchboard, versions }: AppSpec): Record<string, string> => {
  const version = (tool: (typeof TOOLS)[number]): string => {
    const pinned = versions[tool]
    if (pinned === undefined) throw new Error(`no version of ${tool} in Switchboard's package.json`)
    return pinned
  }
  const packageJson = {
    name,
    version: '0.1.0',
    private: true,
    type: 'module',
    engines: { node: '>=20.19' },
    scripts: {
      // The dev server of the switchboard package: hot reload that keeps each tab's state.
      dev: 'switchboard-dev src/main.ts',
      start: 'tsx src/main.ts',
      test: 'tsc --noEmit && vitest run',
    },
    dependencies: {
      '@hono/node-server': version('@hono/node-server'),
      hono: version('hono'),
      switchboard,
      tsx: version('tsx'),
    },
    devDependencies: {
      '@types/node': version('@types/node'),
      typescript: version('typescript'),
      vitest: version('vitest'),
    },
  }
  return {
    'package.json': `${JSON.stringify(packageJson, null, 2)}\n`,
    'tsconfig.json': `${JSON.stringify(TSCONFIG, null, 2)}\n`,
    '.gitignore': 'node_modules/\ndata/\n',
    'src/counter.ts': COUNTER,
    'src/main.ts': MAIN,
    'test/counter.test.ts': COUNTER_TEST,
    'README.md': readme(name),
  }
}

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmit: true,
    allowImportingTsExtensions: true,
    skipLibCheck: true,
    types: ['node'],
  },
  include: ['src', 'test'],
}

const COUNTER = `import { html, LiveView } from 'switchboard'

type State = { count: number }

/** A live counter: the server keeps the count per browser tab and sends only what changed. */
export class CounterView extends LiveView<State> {
  mount(): State {
    return { count: 0 }
  }

  title({ count }: State) {
    return \`Count \${count}\`
  }

  render({ count }: State) {
    return html\`<main>
      <h1>Count: <output id="count">\${count}</output></h1>
      <button id="dec" live-click="dec">−</button>
      <button id="inc" live-click="inc">+</button>
    </main>\`
  }

  events = {
    inc: () => this.assign({ count: this.state.count + 1 }),
    dec: () => this.assign({ count: this.state.count - 1 }),
  }
}
`

const MAIN = `import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { developmentSecret, Switchboard } from 'switchboard'
import { CounterView } from './counter.ts'

// SWITCHBOARD_SECRET in production; in development a per-machine secret, so restarts keep tabs.
const live = new Switchboard({ secret: process.env.SWITCHBOARD_SECRET ?? developmentSecret() })
const app = new Hono()
app.get('/switchboard/client.js', live.clientScript())
app.get('/', live.page(CounterView))

const port = Number(process.env.PORT ?? 3000)
const server = serve({ fetch: app.fetch, port }, (info) => {
  console.log(\`Listening on http://localhost:\${info.port}\`)
})
live.attach(server)
`

const COUNTER_TEST = `import { describe, expect, it } from 'vitest'
import { mountView } from 'switchboard/testing'
import { CounterView } from '../src/counter.ts'

describe('CounterView', () => {
  it('counts up and down', async () => {
    const counter = await mountView(CounterView)
    await counter.event('inc')
    await counter.event('inc')
    await counter.event('dec')
    expect(counter.html()).toContain('<output id="count">1</output>')
    counter.stop()
  })
})
`

const readme = (name: string): string => `# ${name}

A [Switchboard](https://www.npmjs.com/package/switchboard) app: live views rendered on the server.

\`\`\`sh
npm run dev     # http://localhost:3000; an edited view reloads in place, keeping each tab's state
npm test        # type-check and run the tests
npm start       # serve it (set SWITCHBOARD_SECRET in production)
\`\`\`

- \`src/counter.ts\` — the view: \`mount\` gives the first state, \`render\` turns state into HTML,
  \`events\` are what the browser may call.
- \`src/main.ts\` — the server: one page route per view, and the client script.
- \`test/counter.test.ts\` — the view, mounted without a browser.
`
