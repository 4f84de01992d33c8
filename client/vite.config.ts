/** Builds the browser client into one minified classic script: dist/client/switchboard.js. */
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const repo = (path: string): string => fileURLToPath(new URL(`../${path}`, import.meta.url))

export default defineConfig({
  root: repo(''),
  publicDir: false,
  build: {
    outDir: repo('dist/client'),
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    lib: {
      entry: repo('client/index.ts'),
      name: 'Switchboard',
      formats: ['iife'],
      fileName: () => 'switchboard.js',
    },
  },
})
