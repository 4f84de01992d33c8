/** What the socket layer needs from a WebSocket; server/ adapts ws, testing/ has a memory pair. */
export type Transport = {
  /** Sends a text frame; bytes are UTF-8 text already encoded (never a binary frame). */
  send(text: string | Uint8Array): void
  close(code: number, reason: string): void
  /** Bytes queued and not yet written to the network. */
  readonly bufferedAmount: number
}
