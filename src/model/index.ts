// The model layer: generated row types of both schemas and the parsers of
// OVN's value languages.
export * from './result.js';
export * from './schema-meta.js';
export * from './mac.js';
export * from './ip.js';
export * from './lsp-addresses.js';
export * from './port-security.js';
export * from './vip.js';
export { ovsScan, ETH_ADDR_SCAN_FMT, IP_SCAN_FMT, IPV6_SCAN_FMT } from './scan.js';
export type * from './nb.js';
export type * from './sb.js';
export { NB_META, NB_TABLE_NAMES } from './nb.js';
export { SB_META, SB_TABLE_NAMES } from './sb.js';
