// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are shell text, whose ${…} is the shell's
import { describe, expect, it } from 'vitest';
import { applyMutant, sampleMutants, shellMutants } from './shell-operators.ts';

const SCRIPT = `#!/usr/bin/env bash
# a deploy
source "$(dirname "$0")/lib.sh"
keep() {
  ls -1t "\${RELEASES_DIR}" | tail -n +4 | while read -r old; do
    rm -rf "\${RELEASES_DIR:?}/\${old}"
  done
}
rsync -a --delete "\${SKEW_BUILD_DIR}/" "\${TARGET}/"
ln -sfn "\${TARGET}" "\${CURRENT_LINK}"
curl -sS --fail-with-body --max-time 5 -X POST "\${SKEW_RELOAD_URL}"
purge "{\\"files\\": [\\"\${SITE_URL}/\\"]}"
`;

describe('shell mutation operators', () => {
  const mutants = shellMutants('deploy.sh', SCRIPT);
  const of = (op: string) => mutants.filter((m) => m.operator === op);

  it('drops each command, never structure (function heads, done, source, comments)', () => {
    expect(of('drop-command').map((m) => m.line)).toEqual([6, 9, 10, 11, 12]);
  });

  it('swaps adjacent commands of one block, changes numbers, drops flags that matter', () => {
    expect(of('swap-commands').map((m) => m.line)).toEqual([9, 10, 11]);
    expect(of('change-number').map((m) => m.after)).toEqual([
      '  ls -1t "${RELEASES_DIR}" | tail -n +3 | while read -r old; do',
      'curl -sS --fail-with-body --max-time 4 -X POST "${SKEW_RELOAD_URL}"',
    ]);
    expect(of('drop-flag').map((m) => m.after)).toEqual([
      'rsync -a "${SKEW_BUILD_DIR}/" "${TARGET}/"',
      'curl -sS --fail-with-body -X POST "${SKEW_RELOAD_URL}"',
      'curl -sS --max-time 5 -X POST "${SKEW_RELOAD_URL}"',
    ]);
  });

  it('makes the switch non-atomic and empties the purge', () => {
    expect(of('non-atomic-switch')[0]!.after).toBe('rm -f "${CURRENT_LINK}"; sleep 0.5; ln -s "${TARGET}" "${CURRENT_LINK}"');
    expect(of('empty-purge')[0]!.after).toBe(`purge '{"files": []}'`);
  });

  it('applies one mutant to the text, and refuses one that no longer matches', () => {
    const swap = of('swap-commands')[0]!;
    const text = applyMutant(SCRIPT, swap);
    expect(text.split('\n')[8]).toMatch(/^ln -sfn/);
    expect(text.split('\n')[9]).toMatch(/^rsync/);
    expect(() => applyMutant('other', swap)).toThrow(/does not match/);
  });

  it('samples evenly and the same way every time', () => {
    expect(sampleMutants(mutants, 4).map((m) => m.id)).toEqual(sampleMutants(mutants, 4).map((m) => m.id));
    expect(sampleMutants(mutants, 4)).toHaveLength(4);
    expect(sampleMutants(mutants, 1000)).toHaveLength(mutants.length);
  });

  it('leaves lines that only log alone (their mutants are equivalent), but not an echo that writes a file or feeds a pipe', () => {
    const text = [
      'echo "deploying ${V}"',
      '((try > 1)) && echo "answers after ${try} checks"',
      '[[ -n "${x}" ]] || echo "nothing changed" >&2',
      'echo "${id}" > "${DIR}/current-id"',
      'echo "${list}" | xargs rm -f',
      '  echo "${n}"',
    ].join('\n');
    // The last: a function's answer (a killed mutant of lib.sh showed it matters).
    expect([...new Set(shellMutants('x.sh', text).map((m) => m.line))]).toEqual([4, 5, 6]);
  });

  it('changes values, not the file descriptors of redirections', () => {
    const m = shellMutants('x.sh', 'PREV="$(readlink -e "${L}" 2>/dev/null || true)"\necho "failed after 3 tries" >&2; exit 1');
    expect(m.filter((x) => x.operator === 'change-number').map((x) => x.after)).toEqual([]);
    const v = shellMutants('x.sh', 'keep_releases 3 2>/dev/null');
    expect(v.filter((x) => x.operator === 'change-number').map((x) => x.after)).toEqual(['keep_releases 2 2>/dev/null']);
  });
});
