import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { versionLine } from './work-copy.ts';

/**
 * What skew appends to a module must not change what `next build`'s lint says of it. A real
 * ESLint, configured the strict way old app configs are (an ES2015 environment that knows no
 * globalThis, no-undef, single quotes, no semicolons, no extra semicolons).
 */
const STRICT = new ESLint({
  overrideConfigFile: true,
  overrideConfig: [
    {
      languageOptions: { ecmaVersion: 2015, sourceType: 'module', globals: {} },
      rules: { 'no-undef': 'error', quotes: ['error', 'single'], semi: ['error', 'never'], 'no-extra-semi': 'error' },
    },
  ],
});
const MODULE = "import { thing } from './thing'\n\nexport default function Page () {\n  return thing('x')\n}\n";
const errors = async (text: string) =>
  (await STRICT.lintText(text, { filePath: 'pages/index.js' }))[0]!.messages.filter((m) => m.severity === 2);

describe("skew's version line and the app's lint", () => {
  it('the module lints clean before', async () => {
    expect(await errors(MODULE)).toEqual([]);
  });

  it('and after the line is appended', async () => {
    expect(await errors(MODULE + versionLine('A'))).toEqual([]);
  });

  it('the line skew appended before failed it (the negative control): no-undef globalThis, quotes, semi', async () => {
    const before = `\n;Reflect.set(globalThis, "__SKEW_VERSION__", "A");\n`;
    expect([...new Set((await errors(MODULE + before)).map((m) => m.ruleId))].sort()).toEqual([
      'no-extra-semi',
      'no-undef',
      'quotes',
      'semi',
    ]);
  });
});
