// Command-line arguments of the northd benchmark scripts.

export const argv: readonly string[] = process.argv.slice(2);

/** The value after `name` (e.g. `--scale large`), or `def`. */
export function opt(name: string, def: string): string {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : def;
}
