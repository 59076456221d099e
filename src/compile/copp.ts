// copp_meter_get(): the meter a switch's or router's Copp row names for a
// control-plane protocol, when an NB Meter of that name exists (otherwise
// the flow is not metered). One lookup for switches and routers alike.
import type { CompileContext } from './context.js';

export function coppMeterOf(ctx: CompileContext, copp: string | undefined, proto: string): string | undefined {
  if (copp === undefined) return undefined;
  const meter = ctx.nb.Copp.get(copp)?.meters[proto];
  if (meter === undefined) return undefined;
  for (const m of ctx.nb.Meter.values()) if (m.name === meter) return meter;
  return undefined;
}
