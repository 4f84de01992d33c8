import type { SliceSummary } from './digest.ts'
import type { Replica } from './replica.ts'

/** What one heartbeat tells of our replica of its sender's slice. */
export type Finding =
  // It issued counters we have not seen: a lost addition, or we have just met it.
  | { readonly kind: 'behind' }
  // Every counter seen, yet other entries held; `gap` is ours against theirs (count − count,
  // digest XOR digest), which names the entries that differ, not the ones both sides hold.
  | { readonly kind: 'differs'; readonly gap: SliceSummary }
  | { readonly kind: 'same' }
  // No summary (a node of an older version), or a delta overtook the heartbeat: nothing to compare.
  | { readonly kind: 'unknown' }

const isSame = (a: SliceSummary, b: SliceSummary): boolean => a.count === b.count && a.digest === b.digest

/** Compares what `replica` holds of `node` with what `node`'s heartbeat says it holds. */
export const findingOf = (
  replica: Replica,
  node: string,
  heartbeat: { readonly clock: number; readonly slice?: SliceSummary },
): Finding => {
  if (replica.clockOf(node) < heartbeat.clock) return { kind: 'behind' }
  const { slice } = heartbeat
  if (slice === undefined || replica.maxSeen(node) !== heartbeat.clock) return { kind: 'unknown' }
  const held = replica.summaryOf(node)
  if (isSame(held, slice)) return { kind: 'same' }
  const gap = { count: held.count - slice.count, digest: (held.digest ^ slice.digest) >>> 0 }
  return { kind: 'differs', gap }
}

/** Heartbeats of a peer to wait for the answer to a sync before asking again (one was lost). */
const ANSWER_WAIT = 3

type Peer = { waited: number | null; gap: SliceSummary | null }

/**
 * Decides, heartbeat by heartbeat, when to ask a peer for its whole slice: at once when we are
 * behind its clock; when its slice differs from ours only if two heartbeats in a row find the
 * same gap. A delta in flight makes a gap the next heartbeat no longer shows (another delta in
 * flight makes another gap), so churn never asks; a lost delta leaves the same gap until it is
 * repaired, however much else changes meanwhile. At most one request per peer is outstanding:
 * another is sent only after `ANSWER_WAIT` of its heartbeats pass with no answer.
 */
export class SyncGate {
  #peers = new Map<string, Peer>()

  /** A heartbeat of `node` came with `finding`: true when a sync is due now. */
  isDue(node: string, finding: Finding): boolean {
    const peer = this.#peerOf(node)
    if (peer.waited !== null) {
      if (++peer.waited < ANSWER_WAIT) return false
      peer.waited = null // the request or its answer was lost
    }
    const lastGap = peer.gap
    peer.gap = finding.kind === 'differs' ? finding.gap : null
    return finding.kind === 'behind' || (lastGap !== null && peer.gap !== null && isSame(lastGap, peer.gap))
  }

  /** A sync was sent to `node`: wait for its answer before asking again. */
  requested(node: string): void {
    const peer = this.#peerOf(node)
    peer.waited = 0
    peer.gap = null
  }

  /** `node`'s slice arrived, or it went down or away: start afresh. */
  reset(node: string): void {
    this.#peers.delete(node)
  }

  /** Forgets every peer. */
  clear(): void {
    this.#peers.clear()
  }

  #peerOf(node: string): Peer {
    let peer = this.#peers.get(node)
    if (peer === undefined) this.#peers.set(node, (peer = { waited: null, gap: null }))
    return peer
  }
}
