/**
 * How a chunk's script reaches the core that loaded it: through `window.Switchboard`, never by
 * importing the core's modules (that would bundle a second copy of them into the chunk).
 */
type Core = { defineChunk(name: string, exports: unknown): void }

export const defineChunk = (name: string, exports: unknown): void =>
  (window as unknown as { Switchboard: Core }).Switchboard.defineChunk(name, exports)
