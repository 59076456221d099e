// ovn-northd's command-line flags, parsed the same way (long options with
// "=value" or a separate value, OVS-style -v log levels). Unknown flags are
// an error, as with the reference.

export interface DaemonOptions {
  nbRemote: string;
  sbRemote: string;
  pidfile: string | undefined;
  logFile: string | undefined;
  unixctl: string | undefined;
  detach: boolean;
  noChdir: boolean;
  /** pino level */
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
  fileLevel: DaemonOptions['level'];
  consoleLevel: DaemonOptions['level'];
  privateKey: string | undefined;
  certificate: string | undefined;
  caCert: string | undefined;
  /** Start paused (--dry-run in the reference). */
  dryRun: boolean;
  /** --self-check=SECONDS: shadow full compile every SECONDS, divergences logged (0 = off). */
  selfCheckSeconds: number;
  help: boolean;
  version: boolean;
  /** internal: this process is the detached child */
  detachedChild: boolean;
}

export const DEFAULT_RUNDIR = process.env['OVN_RUNDIR'] ?? '/var/run/ovn';
export const DEFAULT_LOGDIR = process.env['OVN_LOGDIR'] ?? '/var/log/ovn';

export const USAGE = `ovn-northd-ts: OVN northbound management daemon (TypeScript; compatible with ovn-northd 23.03.1)
usage: ovn-northd-ts [OPTIONS]
       ovn-northd-ts replay NB_SNAPSHOT [--sb SB_SNAPSHOT] [--format=text|json] [--expect FILE]
       ovn-northd-ts sandbox [--dir DIR] [--once]

Options:
  --ovnnb-db=DATABASE       connect to ovn-nb database at DATABASE
                            (default: $OVN_NB_DB or unix:${DEFAULT_RUNDIR}/ovnnb_db.sock)
  --ovnsb-db=DATABASE       connect to ovn-sb database at DATABASE
                            (default: $OVN_SB_DB or unix:${DEFAULT_RUNDIR}/ovnsb_db.sock)
  --dry-run                 start in paused state (do not commit db changes)
  --self-check=SECONDS      every SECONDS, also compile from scratch and log any
                            difference from the incremental result (0: off)
  --unixctl=SOCKET          override default control socket name
  -h, --help                display this help message
  -V, --version             display version information

Daemon options:
  --detach                  run in background as daemon
  --no-chdir                do not chdir to '/'
  --pidfile[=FILE]          create pidfile (default: ${DEFAULT_RUNDIR}/ovn-northd.pid)
  --monitor                 accepted for compatibility (no effect)

Logging options:
  -vSPEC, --verbose=SPEC    set logging levels (e.g. -vdbg, -vfile:info, -vconsole:off)
  -v, --verbose             set maximum verbosity level
  --log-file[=FILE]         enable logging to specified FILE
                            (default: ${DEFAULT_LOGDIR}/ovn-northd.log)

PKI configuration (required to use SSL):
  -p, --private-key=FILE    file with private key
  -c, --certificate=FILE    file with certificate for private key
  -C, --ca-cert=FILE        file with peer CA certificate
`;

const LEVELS: Record<string, DaemonOptions['level']> = {
  dbg: 'debug',
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  err: 'error',
  error: 'error',
  emer: 'fatal',
  off: 'silent',
};

export class UsageError extends Error {}

/** OVS -v spec: "[destination:]level" pieces separated by ':' or ','. */
function applyVerbose(o: DaemonOptions, spec: string | undefined): void {
  if (spec === undefined || spec === '') {
    o.consoleLevel = o.fileLevel = 'debug';
    return;
  }
  let dest: 'console' | 'file' | 'syslog' | 'any' = 'any';
  let level: DaemonOptions['level'] | undefined;
  for (const word of spec.split(/[:,]/)) {
    if (word === 'console' || word === 'file' || word === 'syslog' || word === 'any') dest = word;
    else if (LEVELS[word]) level = LEVELS[word];
    // module names (e.g. "northd") are accepted and ignored: one logger.
  }
  if (!level) throw new UsageError(`unknown log level in "${spec}"`);
  if (dest === 'console' || dest === 'any') o.consoleLevel = level;
  if (dest === 'file' || dest === 'any') o.fileLevel = level;
}

export function parseDaemonArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): DaemonOptions {
  const o: DaemonOptions = {
    nbRemote: env['OVN_NB_DB'] ?? `unix:${DEFAULT_RUNDIR}/ovnnb_db.sock`,
    sbRemote: env['OVN_SB_DB'] ?? `unix:${DEFAULT_RUNDIR}/ovnsb_db.sock`,
    pidfile: undefined,
    logFile: undefined,
    unixctl: undefined,
    detach: false,
    noChdir: false,
    level: 'info',
    fileLevel: 'info',
    consoleLevel: 'info',
    privateKey: undefined,
    certificate: undefined,
    caCert: undefined,
    dryRun: false,
    selfCheckSeconds: 0,
    help: false,
    version: false,
    detachedChild: false,
  };
  const args = [...argv];
  const takeValue = (flag: string, inline: string | undefined): string => {
    if (inline !== undefined) return inline;
    const v = args.shift();
    if (v === undefined) throw new UsageError(`option '${flag}' requires an argument`);
    return v;
  };
  while (args.length) {
    const a = args.shift()!;
    const eq = a.indexOf('=');
    const [flag, inline] = a.startsWith('--') && eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    switch (flag) {
      case '--ovnnb-db': o.nbRemote = takeValue(flag, inline); break;
      case '--ovnsb-db': o.sbRemote = takeValue(flag, inline); break;
      case '--pidfile': o.pidfile = inline ?? `${DEFAULT_RUNDIR}/ovn-northd.pid`; break;
      case '--log-file': o.logFile = inline ?? `${DEFAULT_LOGDIR}/ovn-northd.log`; break;
      case '--unixctl': o.unixctl = takeValue(flag, inline); break;
      case '--detach': o.detach = true; break;
      case '--no-chdir': o.noChdir = true; break;
      case '--monitor': case '--overwrite-pidfile': break;
      case '--dry-run': o.dryRun = true; break;
      case '--self-check': {
        const v = Number(takeValue(flag, inline));
        if (!Number.isFinite(v) || v < 0) throw new Error(`--self-check: bad number of seconds`);
        o.selfCheckSeconds = v;
        break;
      }
      case '--n-threads': takeValue(flag, inline); break;
      case '--private-key': case '-p': o.privateKey = takeValue(flag, inline); break;
      case '--certificate': case '-c': o.certificate = takeValue(flag, inline); break;
      case '--ca-cert': case '-C': o.caCert = takeValue(flag, inline); break;
      case '--bootstrap-ca-cert': o.caCert = takeValue(flag, inline); break;
      case '--ssl-protocols': case '--ssl-ciphers': takeValue(flag, inline); break;
      case '--verbose': applyVerbose(o, inline); break;
      case '-h': case '--help': o.help = true; break;
      case '-V': case '--version': o.version = true; break;
      case '--detached-child': o.detachedChild = true; break;
      default:
        if (a.startsWith('-v')) {
          applyVerbose(o, a.slice(2));
          break;
        }
        throw new UsageError(`unrecognized option '${a}' (use --help for help)`);
    }
  }
  const rank = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];
  o.level = rank.indexOf(o.consoleLevel) < rank.indexOf(o.fileLevel) ? o.consoleLevel : o.fileLevel;
  return o;
}
