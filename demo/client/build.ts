/**
 * Builds the demo's own browser bundle, dist/demo/card-text.js (the board's shared description
 * editor and the Yjs it needs), as one minified classic script exposing `window.BoardText`.
 */
import { fileURLToPath } from 'node:url'
import { build } from 'vite'

const repo = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url))

await build({
  configFile: false,
  root: repo(''),
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: repo('dist/demo'),
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    lib: { entry: repo('demo/client/card-text.ts'), name: 'BoardText', formats: ['iife'], fileName: () => 'card-text.js' },
  },
})
