import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration and browser suites start real servers; two cores cannot run many at once.
    maxWorkers: 2,
  },
})
