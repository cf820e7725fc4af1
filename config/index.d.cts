/** Types of config/index.cjs, the one configuration loader (see there). */

/** The repository root: where config/ and .env live, and what relative paths are resolved against. */
export declare const repoRoot: string;

/** Keys derived from the ports (and DATA_DIR) unless a layer above default.json sets them. */
export declare const derivedKeys: readonly string[];

/** All configuration values, as strings, after layering and derivation. */
export type RawConfig = Record<string, string>;

/** The host to put in a URL for a listening address (`0.0.0.0` → `127.0.0.1`). */
export declare function urlHost(host: string | undefined): string;

/** A configured path, relative to `root` unless absolute. */
export declare function resolvePath(root: string, p: string): string;

/** Every layer merged and the port-driven defaults derived; `derived` names the keys computed here. */
export declare function loadConfigLayers(
  env?: Record<string, string | undefined>,
  root?: string,
  extraKeys?: Iterable<string>,
): { values: RawConfig; derived: string[] };

/** default.json, <NODE_ENV>.json, .env (not in test), then the environment; last wins. */
export declare function loadRawConfig(
  env?: Record<string, string | undefined>,
  root?: string,
  extraKeys?: Iterable<string>,
): RawConfig;
