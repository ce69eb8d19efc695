/**
 * Lints the deployment files that cannot be exercised here (no Docker engine
 * on development or CI machines):
 * - Dockerfile: dockerfile-utils (the validator behind the VS Code Docker
 *   language server: instructions, flags, JSON forms) plus this project's
 *   rules (stages, base image, non-root user, health check, volumes, secrets);
 * - docker-compose.yml: dclint (compose-spec JSON schema + best-practice
 *   rules) plus this project's rules (pinned Meilisearch, keys, jobs,
 *   health-gated start order);
 * - .env.example: names every variable config/env.ts knows.
 * tests/unit/build.test.ts runs the image's start and health-check commands.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DCLinter } from 'dclint';
import { validate as validateDockerfile } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { envSchema, meiliAdminEnvSchema } from '../../config/env.js';
import { minimumMeilisearchVersion } from '../../engine/meilisearch/wait.js';
import { argsOf, envOf, keyword, parseStages, readImageCommands } from './dockerfile.js';

const root = new URL('../../', import.meta.url);
const read = (file: string): string => readFileSync(new URL(file, root), 'utf8');

const dockerfileText = read('Dockerfile');
const composeText = read('docker-compose.yml');
const envExampleText = read('.env.example');

// ---------------------------------------------------------------------------
// Dockerfile

const { stages } = parseStages(dockerfileText);
const buildStage = stages.find((s) => s.name === 'build');
const runtimeStage = stages.at(-1);

describe('Dockerfile', () => {
  it('passes the dockerfile-utils validator with no diagnostics', () => {
    const problems = validateDockerfile(dockerfileText).map(
      (d) => `line ${d.range.start.line + 1}: ${typeof d.message === 'string' ? d.message : d.message.value}`,
    );
    expect(problems).toEqual([]);
  });

  it.each([
    ['an unknown HEALTHCHECK flag', (t: string) => t.replace('--start-period=', '--start-perid=')],
    ['a misspelt instruction', (t: string) => t.replace('WORKDIR /app', 'WORKDIRR /app')],
    ['a second CMD', (t: string) => `${t}\nCMD ["node", "other.js"]\n`],
  ])('the validator is not a formality: it flags %s', (_label, mutate) => {
    const mutated = mutate(dockerfileText);
    expect(mutated).not.toBe(dockerfileText);
    expect(validateDockerfile(mutated).length).toBeGreaterThan(0);
  });

  it('is multi-stage on node:24.22.3-bookworm-slim (glibc, matching the native modules it builds)', () => {
    expect(stages.map((s) => s.name)).toEqual(['build', 'runtime']);
    for (const stage of stages) expect(stage.image).toBe('node:24.22.3-bookworm-slim');
  });

  it('compiles the native modules and the TypeScript in the build stage only, and prunes dev dependencies', () => {
    const runs = (buildStage ? keyword(buildStage, 'RUN') : []).map((r) => argsOf(r).join(' '));
    expect(runs.some((r) => /apt-get install -y --no-install-recommends .*python3.*make.*g\+\+/u.test(r) && r.includes('rm -rf /var/lib/apt/lists'))).toBe(true);
    expect(runs.some((r) => r.startsWith('npm ci'))).toBe(true);
    expect(runs.some((r) => r.includes('npm run build') && r.includes('npm prune --omit=dev'))).toBe(true);
    const runtimeRuns = runtimeStage ? keyword(runtimeStage, 'RUN').map((r) => argsOf(r).join(' ')) : [];
    expect(runtimeRuns.join('\n')).not.toMatch(/apt-get|npm (ci|install)|g\+\+/u);
  });

  it('copies into the build stage every source directory the build compiles or reads', () => {
    const copied = new Set((buildStage ? keyword(buildStage, 'COPY') : []).flatMap((c) => argsOf(c).slice(0, -1)));
    const tsconfig = JSON.parse(read('tsconfig.build.json')) as { include: string[] };
    const topLevel = new Set(tsconfig.include.map((p) => p.split('/')[0] ?? p));
    for (const dir of [...topLevel, 'scripts', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json']) {
      expect(copied, `${dir} is not copied into the build stage`).toContain(dir);
    }
    // `COPY . .` would drag .env and local data into the image.
    expect(copied).not.toContain('.');
  });

  it('runs the service as a non-root user with the corpus and data as volumes', () => {
    if (!runtimeStage) throw new Error('no runtime stage');
    const users = keyword(runtimeStage, 'USER').map((u) => argsOf(u)[0]);
    expect(users.at(-1)).toBe('node');
    const env = envOf(runtimeStage);
    const volumes = keyword(runtimeStage, 'VOLUME').flatMap((v) => JSON.parse(v.getRawArgumentsContent() ?? '[]') as string[]);
    expect(volumes).toEqual(expect.arrayContaining([env['CORPUS_DIR'], env['DATA_DIR']]));
    // Listening on loopback inside a container would make it unreachable.
    expect(env['HOST']).toBe('0.0.0.0');
  });

  it('starts with node on the built output and checks /readyz with node (slim has no curl)', () => {
    const { cmd, healthcheck } = readImageCommands(dockerfileText);
    expect(cmd).toEqual(['node', 'dist/service/main.js']);
    expect(healthcheck[0]).toBe('node');
    expect(healthcheck.join(' ')).toContain('/readyz');
  });

  it('bakes in no secret: no key, token or password in ENV or ARG', () => {
    for (const stage of stages) {
      for (const name of Object.keys(envOf(stage))) expect(name).not.toMatch(/KEY|TOKEN|SECRET|PASSWORD/iu);
    }
    expect(dockerfileText).not.toMatch(/^\s*ARG\s+\w*(KEY|TOKEN|SECRET|PASSWORD)/imu);
    const ignored = read('.dockerignore').split('\n').map((l) => l.trim());
    expect(ignored).toEqual(expect.arrayContaining(['.env', 'node_modules', 'data']));
  });
});

// ---------------------------------------------------------------------------
// docker-compose.yml

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string | number | boolean | null>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; disable?: boolean };
  restart?: string;
  volumes?: string[];
  profiles?: string[];
}

const compose = parseYaml(composeText, { merge: true }) as { services: Record<string, ComposeService>; volumes?: Record<string, unknown> };
const services = compose.services;

function service(name: string): ComposeService {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

/** dclint's result shape (its .d.ts files use extensionless imports that NodeNext cannot follow). */
interface ComposeLintResult {
  messages: { type: string; line: number; rule: string; message: string }[];
}

const ComposeLinter = DCLinter as unknown as new (config: { rules: Record<string, number>; quiet: boolean; debug: boolean; exclude: string[] }) => {
  lintFiles(paths: string[], recursive: boolean): ComposeLintResult[];
};

function lintCompose(file: string): string[] {
  // Every rule at its default level: nothing is switched off.
  const linter = new ComposeLinter({ rules: {}, quiet: false, debug: false, exclude: [] });
  const results = linter.lintFiles([file], false);
  return results.flatMap((r) => r.messages.map((m) => `${m.type} line ${m.line} ${m.rule}: ${m.message}`));
}

describe('docker-compose.yml', () => {
  it('passes dclint (compose-spec schema and every default rule) with no errors or warnings', () => {
    expect(lintCompose(new URL('docker-compose.yml', root).pathname)).toEqual([]);
  });

  it.each([
    ['a depends_on condition the spec does not know', (t: string) => t.replace('condition: service_healthy', 'condition: healthy'), /invalid-schema/u],
    ['an unpinned Meilisearch image', (t: string) => t.replace(/getmeili\/meilisearch:v[\d.]+/u, 'getmeili/meilisearch:latest'), /service-image-require-explicit-tag/u],
    ['a port published on every interface', (t: string) => t.replace("'127.0.0.1:${API_PORT:-3000}:3000'", "'${API_PORT:-3000}:3000'"), /no-unbound-port-interfaces/u],
  ])('dclint is not a formality: it flags %s', (_label, mutate, rule) => {
    const dir = mkdtempSync(join(tmpdir(), 'compose-lint-'));
    const file = join(dir, 'docker-compose.yml');
    const mutated = mutate(composeText);
    expect(mutated).not.toBe(composeText);
    writeFileSync(file, mutated);
    expect(lintCompose(file).join('\n')).toMatch(rule);
  });

  it('pins a Meilisearch release new enough for the adapter, with the master key from the environment', () => {
    const meili = service('meilisearch');
    const match = /^getmeili\/meilisearch:v(\d+)\.(\d+)\.(\d+)$/u.exec(meili.image ?? '');
    expect(match, 'pin an exact vX.Y.Z').not.toBeNull();
    const [major, minor] = [Number(match?.[1]), Number(match?.[2])];
    expect(major * 1000 + minor).toBeGreaterThanOrEqual(minimumMeilisearchVersion[0] * 1000 + minimumMeilisearchVersion[1]);
    expect(meili.environment?.['MEILI_MASTER_KEY']).toMatch(/^\$\{MEILI_MASTER_KEY:\?/u);
    expect(meili.environment?.['MEILI_ENV']).toBe('production');
    expect(meili.volumes).toContain('meili-data:/meili_data');
    expect(Object.keys(compose.volumes ?? {})).toContain('meili-data');
    expect(meili.restart).toBe('unless-stopped');
    expect(meili.healthcheck?.test?.join(' ')).toContain('/health');
  });

  it('runs the API on Meilisearch with the limited key, never the master key', () => {
    const api = service('api');
    expect(api.environment).toMatchObject({ ENGINE: 'meilisearch', MEILI_URL: 'http://meilisearch:7700', MEILI_API_KEY: '${MEILI_API_KEY:-}' });
    for (const name of ['api', 'indexer']) {
      expect(JSON.stringify(service(name)), `${name} must not see the master key`).not.toContain('MEILI_MASTER_KEY');
    }
    expect(api.restart).toBe('unless-stopped');
    expect(api.depends_on?.['meilisearch']?.condition).toBe('service_healthy');
  });

  it('passes every service setting through to the API, so .env configures it', () => {
    const apiEnv = Object.keys(service('api').environment ?? {});
    expect(Object.keys(envSchema.shape).filter((k) => !apiEnv.includes(k))).toEqual([]);
  });

  it('checks the API health exactly as the image does', () => {
    const { healthcheck } = readImageCommands(dockerfileText);
    expect(service('api').healthcheck?.test).toEqual(['CMD', ...healthcheck]);
  });

  it('has a one-shot indexer job on the built output, gating the API start', () => {
    const indexer = service('indexer');
    expect(indexer.command).toEqual(['node', 'dist/indexer/main.js']);
    expect(indexer.restart).toBe('no');
    // It inherits the image's /readyz check but never serves: it would be reported unhealthy.
    expect(indexer.healthcheck).toEqual({ disable: true });
    expect(indexer.depends_on?.['meilisearch']?.condition).toBe('service_healthy');
    expect(service('api').depends_on?.['indexer']?.condition).toBe('service_completed_successfully');
    expect(indexer.environment).toMatchObject({ ENGINE: 'meilisearch', MEILI_API_KEY: '${MEILI_API_KEY:-}' });
  });

  it('keeps the key-creation job out of `up` and gives it the master key', () => {
    const job = service('meili-create-key');
    expect(job.profiles).toEqual(['admin']);
    expect(job.command).toEqual(['node', 'dist/indexer/meili-keys.js']);
    expect(job.restart).toBe('no');
    expect(Object.keys(job.environment ?? {}).sort()).toEqual(Object.keys(meiliAdminEnvSchema.shape).sort());
  });

  it('builds every app service from this Dockerfile as the same image', () => {
    const images = ['api', 'indexer', 'meili-create-key'].map((name) => service(name).image);
    expect(new Set(images).size).toBe(1);
    for (const name of ['api', 'indexer', 'meili-create-key']) expect(service(name).build).toBe('.');
  });
});

// ---------------------------------------------------------------------------
// .env.example

/** Names set (`NAME=`) or documented commented-out (`# NAME=`). */
function envExampleNames(text: string): Set<string> {
  return new Set([...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gmu)].map((m) => m[1] ?? ''));
}

describe('.env.example', () => {
  const names = envExampleNames(envExampleText);

  it('lists every variable of the service and of the admin command', () => {
    const known = [...Object.keys(envSchema.shape), ...Object.keys(meiliAdminEnvSchema.shape)];
    expect(known.filter((k) => !names.has(k))).toEqual([]);
  });

  it('lists every variable docker-compose.yml reads from the environment', () => {
    const used = new Set([...composeText.matchAll(/\$\{([A-Z][A-Z0-9_]*)/gu)].map((m) => m[1] ?? ''));
    expect([...used].filter((k) => !names.has(k))).toEqual([]);
  });

  it('names nothing that nothing reads', () => {
    const known = new Set([...Object.keys(envSchema.shape), ...Object.keys(meiliAdminEnvSchema.shape)]);
    const used = new Set([...composeText.matchAll(/\$\{([A-Z][A-Z0-9_]*)/gu)].map((m) => m[1] ?? ''));
    expect([...names].filter((n) => !known.has(n) && !used.has(n))).toEqual([]);
  });

  it('ships no secret values', () => {
    for (const secret of ['MEILI_MASTER_KEY', 'MEILI_API_KEY', 'ADMIN_TOKEN']) {
      expect(envExampleText).toMatch(new RegExp(`^${secret}=$`, 'mu'));
    }
  });

  it('holds values the service accepts', () => {
    const values: Record<string, string> = {};
    for (const m of envExampleText.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gmu)) values[m[1] ?? ''] = m[2] ?? '';
    const known = Object.fromEntries(Object.entries(values).filter(([k, v]) => k in envSchema.shape && v !== ''));
    expect(envSchema.safeParse(known).error?.issues ?? []).toEqual([]);
  });
});
