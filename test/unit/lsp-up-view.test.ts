// The compiler's view of Logical_Switch_Port: a change of `up` alone keeps
// the row object while flows ignore `up`, and never when they do not.
import { describe, expect, it } from 'vitest';
import { LspUpInsensitiveView } from '../../src/compile/lsp-up-view.js';
import { ShardedMap } from '../../src/replica/sharded-map.js';
import type { NbLogicalSwitchPort } from '../../src/model/nb.js';

// Unchanged columns keep their value objects from one row version to the next, as in the replica.
const ADDRESSES = ['00:00:00:00:00:01 10.0.0.1'];
const OPTIONS = {};
const row = (uuid: string, cols: Partial<NbLogicalSwitchPort>): NbLogicalSwitchPort =>
  Object.freeze({ _uuid: uuid, name: uuid, type: '', addresses: ADDRESSES, options: OPTIONS, ...cols }) as unknown as NbLogicalSwitchPort;

function edit(t: ShardedMap<NbLogicalSwitchPort>, r: NbLogicalSwitchPort | string): ShardedMap<NbLogicalSwitchPort> {
  const e = t.edit();
  if (typeof r === 'string') e.delete(r);
  else e.set(r._uuid, r);
  return e.finish();
}

describe('LspUpInsensitiveView', () => {
  it('keeps a row whose only change is `up` while ignore_lsp_down holds, and follows every other change', () => {
    const v = new LspUpInsensitiveView();
    const a0 = row('a', {});
    let t = ShardedMap.from<NbLogicalSwitchPort>([['a', a0], ['b', row('b', {})]]);
    expect(v.view(t, false).get('a')).toBe(a0);

    t = edit(t, row('a', { up: false }));
    expect(v.view(t, false).get('a')).toBe(a0);
    t = edit(t, row('a', { up: true }));
    expect(v.view(t, false).get('a')).toBe(a0);

    const a1 = row('a', { up: true, addresses: ['00:00:00:00:00:02 10.0.0.2'] });
    t = edit(t, a1);
    expect(v.view(t, false).get('a')).toBe(a1);

    t = edit(t, 'b');
    expect(v.view(t, false).has('b')).toBe(false);
    const c = row('c', { up: true });
    t = edit(t, c);
    expect(v.view(t, false).get('c')).toBe(c);
  });

  it('shows the rows as they are while flows depend on `up`, and starts over when that stops', () => {
    const v = new LspUpInsensitiveView();
    let t = ShardedMap.from<NbLogicalSwitchPort>([['a', row('a', {})]]);
    v.view(t, false);
    const up = row('a', { up: true });
    t = edit(t, up);
    expect(v.view(t, true)).toBe(t);
    expect(v.view(t, true).get('a')).toBe(up);
    // Back to ignoring `up`: the current rows, not the ones from before.
    expect(v.view(t, false).get('a')).toBe(up);
    t = edit(t, row('a', { up: false }));
    expect(v.view(t, false).get('a')).toBe(up);
  });
});
