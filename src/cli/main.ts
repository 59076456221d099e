// ovn-northd-ts command line entry. Subcommands are wired in as they land.
export async function main(argv: string[]): Promise<void> {
  process.stderr.write(`ovn-northd-ts: not implemented yet (${argv.join(' ')})\n`);
  process.exitCode = 2;
}
