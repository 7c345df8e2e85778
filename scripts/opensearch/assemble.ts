/**
 * Assemble a runnable OpenSearch node from Maven Central alone: the integ-test distribution zip
 * (core server and transport only), the analysis-common and lang-painless modules (jars with the
 * plugin descriptors the full distribution would carry), and the k-NN plugin zip installed with
 * bin/opensearch-plugin. Every piece is checksum-verified (maven.ts); the SHA-256 of each
 * assembled file is recorded in ASSEMBLY.sha256 (sha256sum format) and the sources in
 * ASSEMBLY.json. Assembly happens in a temporary folder renamed into place when complete.
 * Secured clusters run from a second home: a copy of that one with the security plugin installed
 * (so plain nodes stay exactly as they are).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { javaHome, javaMajor } from './java.ts';
import { distDir, KNN_VERSION, OPENSEARCH_VERSION, secureDistDir, SECURITY_VERSION } from './layout.ts';
import { coordinatesId, fetchArtifact, repoUrl, type Coordinates, type Fetched, type Log } from './maven.ts';
import { unzip } from './unzip.ts';

const V = OPENSEARCH_VERSION;
const DISTRIBUTION: Coordinates = { group: 'org.opensearch.distribution.integ-test-zip', artifact: 'opensearch', version: V, ext: 'zip' };
const KNN: Coordinates = { group: 'org.opensearch.plugin', artifact: 'opensearch-knn', version: KNN_VERSION, ext: 'zip' };
const PAINLESS: Coordinates = { group: 'org.opensearch.plugin', artifact: 'lang-painless', version: V, ext: 'jar' };
const ANALYSIS_COMMON: Coordinates = { group: 'org.opensearch.plugin', artifact: 'analysis-common', version: V, ext: 'jar' };
/**
 * The security plugin. The Maven repository reached here serves the zip without its .sha1/.sha512
 * (HTTP 404), so its SHA-256 is pinned: computed from the download of 2026-11-24 (43 828 219
 * bytes, SHA-1 bbea3f51ff7e94da093589f2c30ad9868e92959b); where .sha1 is published it is checked too.
 */
const SECURITY: Coordinates = {
  group: 'org.opensearch.plugin',
  artifact: 'opensearch-security',
  version: SECURITY_VERSION,
  ext: 'zip',
  sha256: '94a04f12ac6033902209fac1e4e512618d45beee604bbf0e42c3ed79c55220cf',
};

interface Module {
  name: string;
  description: string;
  classname: string;
  extendedPlugins: string[];
  /** Java security policy the module needs, if any. */
  policy?: string;
}

const PAINLESS_MODULE: Module = {
  name: 'lang-painless',
  description: 'An easy, safe and fast scripting language for OpenSearch',
  classname: 'org.opensearch.painless.PainlessPlugin',
  extendedPlugins: [],
  // What the full distribution grants Painless: it generates classes at run time.
  policy: 'grant {\n  permission java.lang.RuntimePermission "createClassLoader";\n  permission java.lang.RuntimePermission "getClassLoader";\n};\n',
};

const ANALYSIS_COMMON_MODULE: Module = {
  name: 'analysis-common',
  description: 'Adds "built in" analyzers to OpenSearch.',
  classname: 'org.opensearch.analysis.common.CommonAnalysisPlugin',
  extendedPlugins: ['lang-painless'],
};

/** The compile-scope dependencies a .pom declares (direct ones only). */
export function pomDependencies(pom: string): Coordinates[] {
  const deps: Coordinates[] = [];
  for (const block of pom.match(/<dependency>[\s\S]*?<\/dependency>/g) ?? []) {
    const tag = (name: string): string | undefined => new RegExp(`^\\s*<${name}>([^<]+)</${name}>`, 'm').exec(block.replace(/<exclusions>[\s\S]*?<\/exclusions>/g, ''))?.[1]?.trim();
    const [group, artifact, version] = [tag('groupId'), tag('artifactId'), tag('version')];
    const scope = tag('scope') ?? 'compile';
    if (!group || !artifact || !version) throw new Error(`dependency without groupId/artifactId/version in pom: ${block}`);
    if (scope === 'compile' || scope === 'runtime') deps.push({ group, artifact, version, ext: 'jar' });
  }
  return deps;
}

function descriptor(m: Module): string {
  return [
    `description=${m.description}`,
    `version=${V}`,
    `name=${m.name}`,
    `classname=${m.classname}`,
    'java.version=11',
    `opensearch.version=${V}`,
    `extended.plugins=${m.extendedPlugins.join(',')}`,
    'has.native.controller=false',
    '',
  ].join('\n');
}

async function installModule(home: string, m: Module, jars: Fetched[]): Promise<void> {
  const dir = join(home, 'modules', m.name);
  if (existsSync(dir)) throw new Error(`the distribution already has modules/${m.name}: this assembly recipe does not expect it`);
  await mkdir(dir, { recursive: true });
  for (const jar of jars) await copyFile(jar.path, join(dir, basename(jar.path)));
  await writeFile(join(dir, 'plugin-descriptor.properties'), descriptor(m));
  if (m.policy) await writeFile(join(dir, 'plugin-security.policy'), m.policy);
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push(join(e.parentPath, e.name));
  }
  return out.sort();
}

async function sha256File(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

function installPlugin(root: string, zip: Fetched, java: string): void {
  const plugin = spawnSync(join(root, 'bin', 'opensearch-plugin'), ['install', '--batch', `file://${zip.path}`], {
    env: { ...process.env, OPENSEARCH_JAVA_HOME: java, OPENSEARCH_PATH_CONF: join(root, 'config') },
    encoding: 'utf8',
  });
  if (plugin.status !== 0) {
    throw new Error(`bin/opensearch-plugin install ${basename(zip.path)} failed (exit ${plugin.status}):\n${plugin.stdout}${plugin.stderr}`);
  }
}

interface SourceRecord {
  id: string;
  url: string;
  bytes: number;
  sha1: string;
  sha512: string;
  sha256: string;
  checked?: string[];
}

/** ASSEMBLY.sha256 (every file's SHA-256) and ASSEMBLY.json (the sources) of the tree at `root`. */
async function writeRecord(root: string, sources: Array<Fetched | SourceRecord>, java: string, major: number): Promise<{ files: number; treeSha256: string }> {
  const lines: string[] = [];
  for (const f of await listFiles(root)) lines.push(`${await sha256File(f)}  ${relative(root, f)}`);
  const manifest = `${lines.join('\n')}\n`;
  await writeFile(join(root, 'ASSEMBLY.sha256'), manifest);
  const record = {
    opensearch: V,
    assembledAt: new Date().toISOString(),
    java: { home: java, major },
    repository: repoUrl(),
    files: lines.length,
    /** SHA-256 of ASSEMBLY.sha256: one digest for the whole assembled tree. */
    treeSha256: createHash('sha256').update(manifest).digest('hex'),
    sources: sources.map(({ id, url, bytes, sha1, sha512, sha256, checked }) => ({ id, url, bytes, sha1, sha512: sha512 ?? 'not published', sha256, ...(checked ? { checked } : {}) })),
  };
  await writeFile(join(root, 'ASSEMBLY.json'), `${JSON.stringify(record, null, 2)}\n`);
  return record;
}

export interface Assembly {
  home: string;
  fresh: boolean;
}

/** The assembled distribution's folder, assembling it first if needed. */
export async function ensureAssembled(log: Log): Promise<Assembly> {
  const home = distDir();
  if (existsSync(join(home, 'ASSEMBLY.json'))) return { home, fresh: false };
  const t0 = Date.now();
  const java = javaHome();
  const major = javaMajor(java);
  if (major < 11) throw new Error(`OpenSearch ${V} needs Java 11 or newer; ${java} is Java ${major}`);

  log(`assembling OpenSearch ${V} into ${home} (pieces from ${repoUrl()}, cached)`);
  const distribution = await fetchArtifact(DISTRIBUTION, log);
  const knn = await fetchArtifact(KNN, log);
  const analysisCommon = await fetchArtifact(ANALYSIS_COMMON, log);
  const painlessPom = await fetchArtifact({ ...PAINLESS, ext: 'pom' }, log);
  const painless = await fetchArtifact(PAINLESS, log);
  const painlessDeps: Fetched[] = [];
  for (const dep of pomDependencies(await readFile(painlessPom.path, 'utf8'))) painlessDeps.push(await fetchArtifact(dep, log));
  const sources = [distribution, knn, analysisCommon, painlessPom, painless, ...painlessDeps];

  const work = `${home}.tmp-${process.pid}`;
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  try {
    const files = await unzip(distribution.path, work);
    const top = await readdir(work);
    if (top.length !== 1) throw new Error(`expected one top folder in ${distribution.path}, found: ${top.join(', ')}`);
    const root = join(work, top[0]!);
    log(`  unpacked ${files} files of ${coordinatesId(DISTRIBUTION)}`);

    await installModule(root, PAINLESS_MODULE, [painless, ...painlessDeps]);
    await installModule(root, ANALYSIS_COMMON_MODULE, [analysisCommon]);
    log(`  modules: ${PAINLESS_MODULE.name} (${[painless, ...painlessDeps].map((f) => basename(f.path)).join(', ')}), ${ANALYSIS_COMMON_MODULE.name}`);

    installPlugin(root, knn, java);
    log(`  plugin: opensearch-knn ${KNN_VERSION} installed`);

    const record = await writeRecord(root, sources, java, major);
    await rm(home, { recursive: true, force: true });
    await rename(root, home);
    log(`assembled ${record.files} files in ${((Date.now() - t0) / 1000).toFixed(1)}s (tree SHA-256 ${record.treeSha256.slice(0, 16)}...; see ASSEMBLY.json)`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return { home, fresh: true };
}

/**
 * The secured distribution's folder (the plain one plus the security plugin), assembling it first
 * if needed. Its ASSEMBLY.json lists the plain pieces and the plugin.
 */
export async function ensureSecureAssembled(log: Log): Promise<Assembly> {
  const home = secureDistDir();
  if (existsSync(join(home, 'ASSEMBLY.json'))) return { home, fresh: false };
  const plain = await ensureAssembled(log);
  const t0 = Date.now();
  const java = javaHome();
  const major = javaMajor(java);
  log(`assembling the secured OpenSearch ${V} into ${home} (${basename(plain.home)} + opensearch-security ${SECURITY_VERSION})`);
  const security = await fetchArtifact(SECURITY, log);
  const work = `${home}.tmp-${process.pid}`;
  await rm(work, { recursive: true, force: true });
  try {
    await cp(plain.home, work, { recursive: true, verbatimSymlinks: true });
    const plainSources = (JSON.parse(await readFile(join(work, 'ASSEMBLY.json'), 'utf8')) as { sources: SourceRecord[] }).sources;
    await rm(join(work, 'ASSEMBLY.json'));
    await rm(join(work, 'ASSEMBLY.sha256'));
    installPlugin(work, security, java);
    log(`  plugin: opensearch-security ${SECURITY_VERSION} installed (checked: ${security.checked.join(', ')})`);
    const record = await writeRecord(work, [...plainSources, security], java, major);
    await rm(home, { recursive: true, force: true });
    await rename(work, home);
    log(`assembled ${record.files} files in ${((Date.now() - t0) / 1000).toFixed(1)}s (tree SHA-256 ${record.treeSha256.slice(0, 16)}...; see ASSEMBLY.json)`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return { home, fresh: true };
}
