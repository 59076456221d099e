import { describe, expect, it } from 'vitest';
import { parseDaemonArgs, UsageError } from '../../src/cli/daemon-options.js';

describe("ovn-northd's command line", () => {
  it('takes remotes from flags, else from OVN_NB_DB/OVN_SB_DB', () => {
    const env = { OVN_NB_DB: 'unix:/e/nb.sock', OVN_SB_DB: 'tcp:127.0.0.1:6642' };
    expect(parseDaemonArgs([], env)).toMatchObject({ nbRemote: 'unix:/e/nb.sock', sbRemote: 'tcp:127.0.0.1:6642' });
    const o = parseDaemonArgs(['--ovnnb-db=unix:/a.sock', '--ovnsb-db', 'unix:/b.sock'], env);
    expect(o).toMatchObject({ nbRemote: 'unix:/a.sock', sbRemote: 'unix:/b.sock' });
  });

  it('accepts the daemon, log and SSL options of the reference', () => {
    const o = parseDaemonArgs(['--detach', '--no-chdir', '--pidfile=/p', '--log-file=/l', '--unixctl=/c', '--monitor', '-p', 'k.pem', '--certificate=c.pem', '-C', 'ca.pem'], {});
    expect(o).toMatchObject({ detach: true, noChdir: true, pidfile: '/p', logFile: '/l', unixctl: '/c', privateKey: 'k.pem', certificate: 'c.pem', caCert: 'ca.pem' });
    expect(parseDaemonArgs(['--pidfile'], {}).pidfile).toMatch(/ovn-northd\.pid$/);
  });

  it('maps OVS -v levels onto console and file', () => {
    expect(parseDaemonArgs(['-vdbg'], {})).toMatchObject({ consoleLevel: 'debug', fileLevel: 'debug' });
    expect(parseDaemonArgs(['-vconsole:off', '-vfile:warn'], {})).toMatchObject({ consoleLevel: 'silent', fileLevel: 'warn', level: 'warn' });
    expect(parseDaemonArgs(['--verbose=northd:file:err'], {})).toMatchObject({ fileLevel: 'error', consoleLevel: 'info' });
    expect(() => parseDaemonArgs(['-vloud'], {})).toThrow(UsageError);
  });

  it('rejects unknown options and missing values', () => {
    expect(() => parseDaemonArgs(['--frobnicate'], {})).toThrow(UsageError);
    expect(() => parseDaemonArgs(['--ovnnb-db'], {})).toThrow(UsageError);
  });
});
