export type Bundler = 'turbopack' | 'webpack';

/** Where a static asset URL comes from, so checks can tell a manifest from a hashed chunk. */
export type AssetKind = 'build-manifest' | 'chunk' | 'css' | 'media' | 'other';

export interface AssetEntry {
  /** URL path as the browser requests it, without query: `/_next/static/chunks/abc.js`. */
  url: string;
  kind: AssetKind;
}

/** A built version of a fixture app, ready to be copied into a release store. */
export interface Build {
  /** Cache key: hash of fixture source + variant + bundler + Next version. */
  key: string;
  fixture: string;
  variant: string;
  /** Database schema its code reads; its db/migrations go up to this one. */
  schema: number;
  bundler: Bundler;
  nextVersion: string;
  /** Directory holding a runnable app: next.config.mjs, package.json, .next/, public/. */
  dir: string;
  /** Read from `.next/BUILD_ID`, never assumed. */
  buildId: string;
  /**
   * The `NEXT_DEPLOYMENT_ID` the build was made with (also needed at `next start`). Built
   * without one (`withDeploymentId: false`), the id its release is named by: its BUILD_ID.
   */
  deploymentId: string;
  /**
   * False for a build made without a deployment id (`--deployment-id off`), as most self-hosted
   * apps are: no `?dpl=` on assets, no `x-deployment-id` on requests. Absent: made with one.
   */
  withDeploymentId?: false;
  /** `shared`: Server Action ids salted with a key every build shares, so they match across builds. Absent: a key per build. */
  actionIds?: 'shared';
  /** Every `/_next/static/...` URL the build's pages and lazy chunks can request. */
  assets: AssetEntry[];
  /** URL paths of files in `public/` (not hashed, served by the origin at their literal path). */
  publicFiles: string[];
  /** Wall time of `next build` when it ran; for a cache hit, the time it took originally. */
  buildMs: number;
  /** True when this call reused an earlier build instead of running `next build`. */
  cached: boolean;
  /** Set for a build of a user's app (`skew run --app`), absent for the fixture. */
  app?: AppBuildInfo;
}

/** How a user's app build differs from the fixture's: where it is served, how it starts. */
export interface AppBuildInfo {
  name: string;
  /** The user's project directory (only read). */
  source: string;
  packageManager: string;
  /** `basePath` of next.config ('' when none): prefix of every page URL. */
  basePath: string;
  /** Prefix of `/_next/static` URLs: a path-only `assetPrefix`, else basePath. */
  staticPrefix: string;
  /** `output: 'standalone'`: server.js relative to the build directory. */
  standalone?: string;
  /** The dependency snapshot the build and its releases resolve from. */
  dependencies: string;
  /** How many modules and stylesheets carry the version marker. */
  marked: { modules: number; styles: number };
}
