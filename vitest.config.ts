import { defineConfig } from 'vitest/config'

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
