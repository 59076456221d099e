// The status build_bfd_table() leaves a BFD session with, in both NB and SB:
// a session without a status is admin_down; when NB and SB disagree, an
// admin_down on either side is the operator's word and wins (NB → SB),
// otherwise the SB's (ovn-controller's) view wins (SB → NB).  A leaf module:
// the routes (router/routing.ts) and the BFD rows (bfd.ts) read the same rule.
export type BfdStatus = 'down' | 'init' | 'up' | 'admin_down';

export function syncedBfdStatus(nbStatus: BfdStatus | undefined, sbStatus: BfdStatus | undefined): BfdStatus {
  const nb = nbStatus ?? 'admin_down';
  if (sbStatus === undefined || sbStatus === nb) return nb;
  return nb === 'admin_down' || sbStatus === 'admin_down' ? nb : sbStatus;
}
