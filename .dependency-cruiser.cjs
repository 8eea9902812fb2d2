/**
 * The import graph skew keeps (`npm run graph`, part of `npm test` and CI). Floors, from the
 * ground up; a floor imports only floors below it:
 *
 *   core, errors                      the scenario language, the history, verdicts (types and zod)
 *   checks                            pure judges of a history
 *   io, platform, load                processes, ports, waits; the revision table; HTTP load
 *   builds, cdn, browser              next build, nginx and the purge API, Chromium sessions
 *   stack                             release store, origins, edges, fault layer
 *   deployers                         strategies under test and the contract they run through
 *   faults                            inject/heal pairs, each on a narrow FaultContext
 *   steps                             what a scenario does, one file per kind
 *   scenario, app, probe, doctor      the vocabulary bound to the registries; --app; probe
 *   run, fuzz, config                 one run in phases, the fuzzer, options
 *   playwright, index, cli            the public surfaces
 *
 * Biome's noRestrictedImports (biome.jsonc) says the same for the core and the checks at the
 * editor; test/layering.test.ts proves both fail a deliberate violation.
 */
const STACK =
  '^harness/(io|platform|load|builds|cdn|browser|stack|deployers|faults|steps|scenario|app|probe|doctor|run|fuzz|config|playwright)/';
const ABOVE_FAULTS = '^harness/(steps|scenario|app|run|fuzz|config|playwright|index\\.ts)|^cli/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import circle makes two modules one: neither can be understood, tested or replaced alone.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-ground-floor',
      comment: 'The core imports only the core, the errors and zod: no stack, browser, CLI, Node API.',
      severity: 'error',
      from: { path: '^harness/(core|errors)/' },
      to: { pathNot: ['^harness/(core|errors)/', '^node_modules/zod/'] },
    },
    {
      name: 'checks-pure',
      comment: 'A check judges a recorded history: it imports the core and other checks, nothing that runs.',
      severity: 'error',
      from: { path: '^harness/checks/' },
      to: { pathNot: ['^harness/(core|errors|checks)/', '^node_modules/zod/'] },
    },
    {
      name: 'nothing-below-reaches-up',
      comment: 'The parts of the world (processes, builds, nginx, browser, stack) know nothing of what drives them.',
      severity: 'error',
      from: { path: '^harness/(io|platform|load|builds|cdn|browser|stack)/' },
      to: {
        path: `^harness/(deployers|faults|steps|scenario|app|probe|doctor|run|fuzz|config|playwright)/|^harness/index\\.ts|^cli/|^scenarios/`,
      },
    },
    {
      name: 'deployers-below-faults',
      comment: 'Deployers change the stack through the contract; they never see faults, steps or runs.',
      severity: 'error',
      from: { path: '^harness/deployers/|^deployers/' },
      to: { path: `^harness/faults/|${ABOVE_FAULTS}|^scenarios/` },
    },
    {
      name: 'faults-below-steps',
      comment: 'A fault sees its FaultContext only: never a step, a run or a scenario.',
      severity: 'error',
      from: { path: '^harness/faults/' },
      to: { path: `${ABOVE_FAULTS}|^scenarios/` },
    },
    {
      name: 'steps-below-runs',
      comment: 'Steps act on what the run hands them; the run composes them, never the other way.',
      severity: 'error',
      from: { path: '^harness/steps/' },
      to: { path: '^harness/(scenario|app|run|fuzz|config|playwright)/|^harness/index\\.ts|^cli/|^scenarios/' },
    },
    {
      name: 'harness-without-cli',
      comment: 'The CLI is a thin shell over the harness: the harness never imports it.',
      severity: 'error',
      from: { path: '^harness/' },
      to: { path: '^cli/' },
    },
    {
      name: 'catalogue-is-data',
      comment: 'A scenario is data: the catalogue names steps and checks, it runs nothing.',
      severity: 'error',
      from: { path: '^scenarios/' },
      to: { path: STACK, pathNot: '^harness/(scenario|steps)/' },
    },
  ],
  options: {
    // TypeScript 7 has no JavaScript API for dependency-cruiser; swc reads the sources as written,
    // type-only imports included.
    parser: 'swc',
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['\\.test\\.ts$', '^test/apps/'] },
  },
};
