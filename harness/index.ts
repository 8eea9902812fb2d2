/** The public API of skew. Everything not exported here is private. */
export { runScenario, type RunOptions } from './run/run-scenario.ts';
export type { ScenarioReport } from './run/report.ts';
export { type Rejudged, rejudgeRun } from './run/rejudge.ts';
export { parseScenario, type Scenario } from './scenario/parse.ts';
export type { Verdict, CheckResult } from './core/verdict.ts';
export type { HistoryEvent } from './core/history.ts';
export type { Deployer, DeployContext } from './deployers/deployer.ts';
export { DEPLOYERS, getDeployer } from './deployers/registry.ts';
export { CHECKS } from './checks/index.ts';
export { HarnessError } from './errors/harness-error.ts';
export type { SkewConfig } from './config/config-file.ts';
export { getBuild } from './builds/build-cache.ts';
export type { Build, Bundler } from './builds/types.ts';
export { CATALOGUE, getScenario } from '../scenarios/index.ts';
