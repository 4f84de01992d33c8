/** What the socket layer needs from a WebSocket; server/ adapts ws, testing/ has a memory pair. */
export type Transport = {
  send(text: string): void
  close(code: number, reason: string): void
  /** Bytes queued and not yet written to the network. */
  readonly bufferedAmount: number
}
