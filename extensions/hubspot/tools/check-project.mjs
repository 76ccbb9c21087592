// Checks the HubSpot project offline with HubSpot's own parser (@hubspot/project-parsing-lib):
// hsproject.json, every *-hsmeta.json (as JSON, its type known and in its folder, its uid valid,
// at most one of a singular component), each component's entrypoint on disk, and every URL the
// extensions fetch from (API_BASE constants and literal hubspot.fetch URLs) in permittedUrls.fetch.
// The parser's schema validation needs a HubSpot account, so it runs with skipValidation.
// Usage: node check-project.mjs [projectDir] — prints { problems, components } as JSON.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { Components } from '@hubspot/project-parsing-lib/constants';
import { getProjectMetadata, parseProjectConfig } from '@hubspot/project-parsing-lib/projects';
import { translate } from '@hubspot/project-parsing-lib/translate';
import { validateUid } from '@hubspot/project-parsing-lib/uid';

const projectDir = path.resolve(
  process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'),
);

const walk = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : walk(full);
    return [full];
  });

const API_BASE = /\bAPI_BASE\s*=\s*['"`]([^'"`]+)['"`]/g;
const LITERAL_FETCH = /hubspot\.fetch\(\s*['"`]([^'"`$]+)/g;

export async function checkProject(dir) {
  const problems = [];
  let config;
  try {
    config = parseProjectConfig(dir);
  } catch (error) {
    return { problems: [`hsproject.json: ${error.message}`], components: [] };
  }
  const srcDir = path.join(dir, config.srcDir);
  const files = walk(srcDir);
  const metaFiles = files.filter((file) => file.endsWith('-hsmeta.json'));
  // With skipValidation the parser drops a file it cannot parse without a word: parse each here.
  const parsed = new Map();
  for (const file of metaFiles) {
    const name = path.relative(dir, file);
    try {
      parsed.set(file, JSON.parse(readFileSync(file, 'utf8')));
    } catch (error) {
      problems.push(`${name}: not valid JSON (${error.message})`);
      continue;
    }
    const meta = parsed.get(file);
    if (!meta || typeof meta !== 'object') problems.push(`${name}: not a JSON object`);
    else {
      const kind = Components[meta.type];
      if (!kind) problems.push(`${name}: unknown component type "${meta.type}"`);
      else if (path.basename(path.dirname(file)) !== kind.dir)
        problems.push(`${name}: a ${meta.type} component belongs in a folder named ${kind.dir}`);
      const uidProblem = typeof meta.uid === 'string' ? validateUid(meta.uid) : 'uid is missing';
      if (uidProblem) problems.push(`${name}: ${uidProblem}`);
      if (!meta.config || typeof meta.config !== 'object')
        problems.push(`${name}: config is missing`);
    }
  }
  const metadata = await getProjectMetadata(srcDir);
  const placed = new Set(metadata.hsMetaFiles.map((file) => path.resolve(file)));
  for (const file of metaFiles)
    if (!placed.has(path.resolve(file)))
      problems.push(`${path.relative(dir, file)}: not in a folder HubSpot reads components from`);
  for (const [type, { count, maxCount }] of Object.entries(metadata.components))
    if (count > maxCount) problems.push(`${type}: ${count} components, at most ${maxCount}`);

  let nodes = {};
  try {
    const { intermediateRepresentation, skippedHsMetaFiles } = await translate(
      { projectSourceDir: srcDir, platformVersion: config.platformVersion, accountId: 0 },
      { skipValidation: true },
    );
    nodes = intermediateRepresentation.intermediateNodesIndexedByUid;
    for (const skipped of skippedHsMetaFiles) problems.push(`${skipped}: skipped by the parser`);
  } catch (error) {
    problems.push(`translate: ${error.message}`);
  }
  const components = Object.values(nodes).map((node) => ({
    uid: node.uid,
    type: node.componentType,
    entrypoint: node.config?.entrypoint ?? null,
  }));
  for (const node of components)
    if (node.entrypoint && !existsSync(path.join(srcDir, node.entrypoint)))
      problems.push(`${node.uid}: entrypoint ${node.entrypoint} does not exist`);

  const app = Object.values(nodes).find((node) => node.componentType === 'APPLICATION');
  if (!app) problems.push('no app component');
  const permitted = (app?.config?.permittedUrls?.fetch ?? []).map((url) => new URL(url).origin);
  for (const file of files.filter((f) => /\.(tsx?|jsx?)$/.test(f) && !f.includes('__tests__'))) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of [API_BASE, LITERAL_FETCH])
      for (const [, url] of text.matchAll(pattern)) {
        let origin;
        try {
          origin = new URL(url).origin;
        } catch {
          problems.push(`${path.relative(dir, file)}: fetches from "${url}", not a URL`);
          continue;
        }
        if (!permitted.includes(origin))
          problems.push(
            `${path.relative(dir, file)}: fetches from ${origin}, not in permittedUrls.fetch`,
          );
      }
  }
  return { problems, components };
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  process.stdout.write(`${JSON.stringify(await checkProject(projectDir))}\n`);
