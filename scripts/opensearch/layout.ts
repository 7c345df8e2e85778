/**
 * Where the OpenSearch pieces live: one project-local, git-ignored folder (.opensearch/, or
 * OPENSEARCH_CACHE_DIR) holding the Maven downloads, the assembled distribution, and one folder
 * per cluster (keyed by its first HTTP port) with each node's config, data, logs and the state file.
 */
import { join, resolve } from 'node:path';

export const OPENSEARCH_VERSION = '2.19.1';
export const KNN_VERSION = '2.19.1.0';
export const SECURITY_VERSION = '2.19.1.0';
export const CLUSTER_NAME = 'children-services-search';
export const DEFAULT_PORT = 9200;
/** Transport port of node i = its HTTP port + this (9200 -> 9300, like OpenSearch's defaults). */
export const TRANSPORT_OFFSET = 100;

const projectRoot = resolve(import.meta.dirname, '..', '..');

export function cacheDir(): string {
  return resolve(process.env.OPENSEARCH_CACHE_DIR ?? join(projectRoot, '.opensearch'));
}

/** Downloads, laid out like a Maven repository (group/artifact/version/file). */
export function mavenDir(): string {
  return join(cacheDir(), 'maven');
}

/** The assembled, read-only distribution the nodes run from. */
export function distDir(): string {
  return join(cacheDir(), `opensearch-${OPENSEARCH_VERSION}`);
}

/** The distribution with the security plugin installed (TLS, users, roles): secured clusters run from it. */
export function secureDistDir(): string {
  return join(cacheDir(), `opensearch-${OPENSEARCH_VERSION}-secure`);
}

export function clustersDir(): string {
  return join(cacheDir(), 'clusters');
}

export function clusterDir(basePort: number): string {
  return join(clustersDir(), String(basePort));
}

export function stateFile(basePort: number): string {
  return join(clusterDir(basePort), 'state.json');
}

/** A secured cluster's certificates, keys and credentials (made once per cluster). */
export function securityDir(basePort: number): string {
  return join(clusterDir(basePort), 'security');
}

export function nodeName(i: number): string {
  return `node-${i + 1}`;
}

export function nodeDir(basePort: number, i: number): string {
  return join(clusterDir(basePort), nodeName(i));
}
