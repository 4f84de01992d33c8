/** What the socket layer needs from a WebSocket; server/ adapts ws, testing/ has a memory pair. */
export type Transport = {
  /** Sends a text frame; bytes are UTF-8 text already encoded (never a binary frame). */
  send(text: string | Uint8Array): void
  close(code: number, reason: string): void
  /** Bytes queued and not yet written to the network. */
  readonly bufferedAmount: number
  /**
   * Stops reading the client's frames while the socket is congested (TCP then pushes back on a
   * client that keeps sending). Optional only for transports that cannot: ws and testing have it.
   */
  pause?(): void
  /** Reads the client's frames again after pause(). */
  resume?(): void
}
