/**
 * Where the edge's nginx runs. Both implementations take the same generated configuration;
 * everything else about the edge (ports, routes, purge) lives above this interface.
 */
export interface CdnRuntimeSpec {
  /** The nginx prefix directory (holds the config, logs, cache). Absolute. */
  prefix: string;
  /** Absolute path of the main configuration file. */
  configFile: string;
  /** Directories nginx must see at the same path (release store, prefix). */
  mounts: string[];
  /** Labels every started part with the run, so leftovers can be found and reaped. */
  runId: string;
}

export interface CdnRuntime {
  readonly kind: CdnKind;
  /** Starts nginx; resolves when the master has started its workers. */
  start(spec: CdnRuntimeSpec): Promise<void>;
  /** Asks the running nginx to re-read its configuration (graceful). */
  reload(): Promise<void>;
  /** Stops nginx and removes what `start` created (container). Safe to call twice. */
  stop(): Promise<void>;
  /** Last lines nginx printed (stderr), for errors and the run's evidence. */
  logs(): string[];
}

/** Where the edge's nginx runs: a local process, or a container (testcontainers). */
export const CDN_KINDS = ['process', 'container'] as const;
export type CdnKind = (typeof CDN_KINDS)[number];

/** Where Debian's libnginx-mod-http-js and the official nginx image put the njs module. */
export const NJS_MODULE = '/usr/lib/nginx/modules/ngx_http_js_module.so';
