/** One word for /bin/sh: as it is when nothing in it is special, else single-quoted (a folder may contain spaces). */
export function shellArg(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
