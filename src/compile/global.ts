// NB_Global → SB_Global options, and the NB_Global options northd writes
// back (ovnnb_db_run in the reference): mac_prefix, svc_monitor_mac,
// max_tunid, northd_internal_version.
import type { CompileContext } from './context.js';
import { parseMac, formatMac } from '../model/mac.js';

/** ovn_get_internal_version() of OVN 23.03.1: version-SBschema-N.M. */
export const NORTHD_INTERNAL_VERSION = '23.03.1-20.27.0-70.6';

/** Datapath tunnel keys usable by northd (OVN_MAX_DP_KEY - OVN_MAX_DP_GLOBAL_NUM, or the VXLAN limit). */
export const MAX_DP_KEY_GENEVE = (1 << 24) - 1 - 65535;
export const MAX_DP_KEY_VXLAN = (1 << 12) - 1;

export function isVxlanMode(ctx: CompileContext): boolean {
  for (const encap of ctx.sb.Encap.values()) if (encap.type === 'vxlan') return true;
  return false;
}

export function maxDpKey(ctx: CompileContext): number {
  return isVxlanMode(ctx) ? MAX_DP_KEY_VXLAN : MAX_DP_KEY_GENEVE;
}

/** Random values a daemon supplies when NB lacks them (keeps compile pure). */
export interface FreshRandom {
  /** Three random octets "xx:xx:xx" (locally administered, unicast). */
  readonly macPrefix: string;
  /** A random locally administered unicast MAC. */
  readonly svcMonitorMac: string;
  /** Seed of new BFD sessions' discriminators (bfd.ts); 0 when absent (tests, replay). */
  readonly bfdDiscSeed?: number;
}

/** Parses a mac_prefix the way the reference does (three hex octets, extra text ignored). */
export function parseMacPrefix(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const m = /^\s*([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})/.exec(v);
  if (!m) return undefined;
  const octets = [m[1]!, m[2]!, m[3]!].map((h) => parseInt(h, 16));
  if (octets.every((o) => o === 0)) return undefined;
  return octets.map((o) => o.toString(16).padStart(2, '0')).join(':');
}

export interface GlobalOptions {
  readonly nbOptions: Readonly<Record<string, string>>;
  readonly sbOptions: Readonly<Record<string, string>>;
  readonly svcMonitorMac: string;
  readonly macPrefix: string;
}

/** The NB_Global options buildGlobalOptions() writes back (no flow reads them; svc_monitor_mac is passed on its own). */
export const NB_OPTIONS_WRITTEN_BACK: ReadonlySet<string> = new Set(['mac_prefix', 'svc_monitor_mac', 'max_tunid', 'northd_internal_version']);

export function buildGlobalOptions(ctx: CompileContext, fresh: FreshRandom): GlobalOptions {
  const options: Record<string, string> = { ...ctx.options };
  const macPrefix = parseMacPrefix(options['mac_prefix']) ?? fresh.macPrefix;
  options['mac_prefix'] = macPrefix;

  let svcMonitorMac: string;
  const given = options['svc_monitor_mac'];
  const parsed = given !== undefined ? parseMac(given) : undefined;
  if (parsed && parsed.ok) {
    svcMonitorMac = formatMac(parsed.value);
  } else {
    svcMonitorMac = fresh.svcMonitorMac;
    options['svc_monitor_mac'] = svcMonitorMac;
  }
  options['max_tunid'] = String(maxDpKey(ctx));
  options['northd_internal_version'] = NORTHD_INTERNAL_VERSION;

  const sbOptions: Record<string, string> = { ...options };
  if (!ctx.features.ctNoMaskedLabel) sbOptions['lb_hairpin_use_ct_mark'] = 'false';
  else delete sbOptions['lb_hairpin_use_ct_mark'];
  return { nbOptions: options, sbOptions, svcMonitorMac, macPrefix };
}

/** Fresh random values as the reference makes them (eth_addr_random: unicast, locally administered). */
export function randomFresh(rand: () => number = Math.random): FreshRandom {
  const octet = () => Math.floor(rand() * 256);
  const first = () => (octet() & 0xfe) | 0x02;
  const hex = (o: number) => o.toString(16).padStart(2, '0');
  const prefix = [first(), octet(), octet()];
  const mac = [first(), octet(), octet(), octet(), octet(), octet()];
  return { macPrefix: prefix.map(hex).join(':'), svcMonitorMac: mac.map(hex).join(':'), bfdDiscSeed: Math.floor(rand() * 0x100000000) };
}
