// Resolved load balancers and their SB rows.
export {
  type LbProto,
  type NeighborResponderMode,
  type ResolvedVip,
  type ResolvedLb,
  parseLoadBalancer,
  resolveLoadBalancers,
  loadBalancersOfSwitch,
  selectionFieldsString,
  smapGetUint,
} from './resolve.js';
export { desiredSbLoadBalancer, desiredSbLoadBalancers } from './sb-sync.js';
