/**
 * Assemble a runnable OpenSearch node from Maven Central alone: the integ-test distribution zip
 * (core server and transport only), the analysis-common and lang-painless modules (jars with the
 * plugin descriptors the full distribution would carry), and the k-NN plugin zip installed with
 * bin/opensearch-plugin. Every piece is checksum-verified (maven.ts); the SHA-256 of each
 * assembled file is recorded in ASSEMBLY.sha256 (sha256sum format) and the sources in
 * ASSEMBLY.json. Assembly happens in a temporary folder renamed into place when complete.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { javaHome, javaMajor } from './java.ts';
import { distDir, KNN_VERSION, OPENSEARCH_VERSION } from './layout.ts';
import { coordinatesId, fetchArtifact, repoUrl, type Coordinates, type Fetched, type Log } from './maven.ts';
import { unzip } from './unzip.ts';

const V = OPENSEARCH_VERSION;
const DISTRIBUTION: Coordinates = { group: 'org.opensearch.distribution.integ-test-zip', artifact: 'opensearch', version: V, ext: 'zip' };
const KNN: Coordinates = { group: 'org.opensearch.plugin', artifact: 'opensearch-knn', version: KNN_VERSION, ext: 'zip' };
const PAINLESS: Coordinates = { group: 'org.opensearch.plugin', artifact: 'lang-painless', version: V, ext: 'jar' };
const ANALYSIS_COMMON: Coordinates = { group: 'org.opensearch.plugin', artifact: 'analysis-common', version: V, ext: 'jar' };

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

    const plugin = spawnSync(join(root, 'bin', 'opensearch-plugin'), ['install', '--batch', `file://${knn.path}`], {
      env: { ...process.env, OPENSEARCH_JAVA_HOME: java, OPENSEARCH_PATH_CONF: join(root, 'config') },
      encoding: 'utf8',
    });
    if (plugin.status !== 0) {
      throw new Error(`bin/opensearch-plugin install ${basename(knn.path)} failed (exit ${plugin.status}):\n${plugin.stdout}${plugin.stderr}`);
    }
    log(`  plugin: opensearch-knn ${KNN_VERSION} installed`);

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
      sources: sources.map(({ id, url, bytes, sha1, sha512, sha256 }) => ({ id, url, bytes, sha1, sha512: sha512 ?? 'not published', sha256 })),
    };
    await writeFile(join(root, 'ASSEMBLY.json'), `${JSON.stringify(record, null, 2)}\n`);
    await rm(home, { recursive: true, force: true });
    await rename(root, home);
    log(`assembled ${lines.length} files in ${((Date.now() - t0) / 1000).toFixed(1)}s (tree SHA-256 ${record.treeSha256.slice(0, 16)}...; see ASSEMBLY.json)`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return { home, fresh: true };
}
