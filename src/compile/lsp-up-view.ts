// Logical_Switch_Port rows as the compiler sees them: while flows do not
// depend on a port being up (NB_Global options:ignore_lsp_down, true by
// default), a row that changed only in its `up` column keeps its previous
// object.  Otherwise the write-back of `up` — 20,000 rows after a cold start,
// one whenever a VM boots — would look like a change of every port's inputs
// and rebuild every switch.
import type { NbLogicalSwitchPort } from '../model/nb.js';
import { ShardedMap } from '../replica/sharded-map.js';

function sameButUp(a: NbLogicalSwitchPort, b: NbLogicalSwitchPort): boolean {
  let n = 0;
  for (const k of Object.keys(b) as (keyof NbLogicalSwitchPort)[]) {
    if (k === 'up') continue;
    if (a[k] !== b[k]) return false;
    n++;
  }
  for (const k of Object.keys(a)) if (k !== 'up') n--;
  return n === 0;
}

export class LspUpInsensitiveView {
  private src: ReadonlyMap<string, NbLogicalSwitchPort> = new Map();
  private out: ShardedMap<NbLogicalSwitchPort> = ShardedMap.empty();
  private checking: boolean | undefined;

  /** `table`, with rows that differ from their previous version only in `up` replaced by that version. */
  view(table: ReadonlyMap<string, NbLogicalSwitchPort>, checkLspIsUp: boolean): ReadonlyMap<string, NbLogicalSwitchPort> {
    if (checkLspIsUp) {
      this.checking = true;
      return table;
    }
    if (this.checking !== false) {
      // First use, or `up` mattered until now: start from the rows as they are.
      this.checking = false;
      this.src = table;
      this.out = table instanceof ShardedMap ? (table as ShardedMap<NbLogicalSwitchPort>) : ShardedMap.from(table);
      return this.out;
    }
    const e = this.out.edit();
    ShardedMap.diff(this.src, table, (uuid, before, after) => {
      if (!after) e.delete(uuid);
      else if (!before || !sameButUp(this.out.get(uuid) ?? before, after)) e.set(uuid, after);
    });
    this.src = table;
    this.out = e.finish();
    return this.out;
  }
}
