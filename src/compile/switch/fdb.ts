// Ingress tables 2-3 (lookup/put FDB): build_lswitch_learn_fdb_od and
// build_lswitch_learn_fdb_op.  A port with "unknown" addresses and no port
// security learns the MACs behind it (a VIF, or a localnet port with
// options:localnet_learn_fdb=true).
import { FlowSink, type LFlow } from '../lflow.js';
import { LS_IN_LOOKUP_FDB, LS_IN_PUT_FDB } from '../stages.js';
import { smapGetBool, type SwitchPort } from '../topology.js';
import { REGBIT_LKUP_FDB } from './common.js';

export function fdbDefaults(): LFlow[] {
  const f = new FlowSink();
  f.add(LS_IN_LOOKUP_FDB, 0, '1', 'next;');
  f.add(LS_IN_PUT_FDB, 0, '1', 'next;');
  return f.out;
}

export function fdbLearningForPort(op: SwitchPort): LFlow[] {
  const f = new FlowSink();
  const learns =
    op.type === '' || (op.type === 'localnet' && smapGetBool(op.nb.options, 'localnet_learn_fdb', false));
  if (op.psAddrs.length || !op.hasUnknown || !learns) return f.out;
  const opts = { hint: op.nb._uuid, ioPort: op.name };
  const m = `inport == ${op.jsonKey}`;
  f.add(LS_IN_LOOKUP_FDB, 100, m, `${REGBIT_LKUP_FDB} = lookup_fdb(inport, eth.src); next;`, opts);
  f.add(LS_IN_PUT_FDB, 100, `${m} && ${REGBIT_LKUP_FDB} == 0`, 'put_fdb(inport, eth.src); next;', opts);
  return f.out;
}
