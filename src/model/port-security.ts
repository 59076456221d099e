// Logical_Switch_Port `port_security` entries: "MAC [IP[/plen] ...]".
//
// OVN 23.03.1 parses each entry with the same extract_lsp_addresses() as
// `addresses` (lenient MAC scan, IPv4/IPv6 with optional prefix, trailing text
// ignored with an INFO log).  northd itself only needs to know how many
// entries have a usable MAC (op->n_ps_addrs: a port with "unknown" addresses
// and no usable port security gets the "learn FDB" put_fdb treatment); the
// per-entry match/flows are built by ovn-controller from the same parse.  An
// entry without a MAC is skipped with "invalid syntax '...' in port security.
// No MAC address found".
import { extractLspAddresses, type LportAddresses } from './lsp-addresses.js';

export interface PortSecurity {
  /** Parsed entries with a MAC, in order (op->ps_addrs). */
  readonly entries: readonly LportAddresses[];
  /** Messages OVN logs for skipped entries or ignored trailing text. */
  readonly warnings: readonly string[];
}

export function parsePortSecurity(entries: readonly string[]): PortSecurity {
  const out: LportAddresses[] = [];
  const warnings: string[] = [];
  for (const e of entries) {
    const r = extractLspAddresses(e);
    if (!r.ok) {
      warnings.push(`invalid syntax '${e}' in port security. No MAC address found`);
      continue;
    }
    if (r.value.trailing !== undefined) warnings.push(`invalid syntax '${e}' in address`);
    out.push(r.value.addresses);
  }
  return { entries: out, warnings };
}
