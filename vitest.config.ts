import { defaultClientConditions, defaultServerConditions } from 'vite'
import { defineConfig } from 'vitest/config'

// `import … from 'switchboard'` inside this repo resolves to the TypeScript source (package.json's
// "source" condition), as tsconfig's customConditions and `tsx --conditions=source` do.
const resolve = { conditions: ['source', ...defaultClientConditions] }
const ssr = { resolve: { conditions: ['source', ...defaultServerConditions] } }

const shared = {
  testTimeout: 30_000,
  hookTimeout: 30_000,
}

export default defineConfig({
  test: {
    // Integration and browser suites start real servers; two cores cannot run many at once.
    maxWorkers: 2,
    projects: [
      {
        resolve,
        ssr,
        test: {
          ...shared,
          name: 'main',
          include: ['test/**/*.test.ts'],
          exclude: ['test/cluster/**', 'test/e2e/**'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        // Chromium suites, one file at a time after the rest: each runs a demo server and a
        // browser, and two at once beside other suites starved the dashboard's page under load.
        resolve,
        ssr,
        test: {
          ...shared,
          name: 'browser',
          include: ['test/e2e/**/*.test.ts'],
          sequence: { groupOrder: 1 },
          fileParallelism: false,
        },
      },
      {
        // Node processes, a private Redis and fault injection: after everything else, alone, so
        // its load never starves the browser suites (and theirs never its leases).
        resolve,
        ssr,
        test: {
          ...shared,
          name: 'cluster',
          include: ['test/cluster/**/*.test.ts'],
          sequence: { groupOrder: 2 },
          fileParallelism: false,
        },
      },
    ],
  },
})
