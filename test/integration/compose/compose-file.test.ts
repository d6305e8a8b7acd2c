import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { basename, dirname, join, posix } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import {
  loadExecutorConfig,
  loadSchedulerConfig,
  type ExecutorConfig,
  type SchedulerConfig,
} from '../../../src/config/resolve.js';
import { createDefaultRegistry } from '../../../src/registry/default-registry.js';
import type { ResolvedSection } from '../../../src/registry/registry.js';
import { packageRoot } from '../../../src/util/package-root.js';
import { startLatigo, type LatigoProcess } from '../../support/latigo-process.js';
import {
  loadComposeFile,
  optionValues,
  serviceEnvironment,
  serviceMounts,
  type ComposeService,
} from './support/compose-file.js';

/**
 * docker-compose.yml without a Docker engine: its services, mounts and commands, the overlays
 * of deploy/compose/ through the real config loader with the environment compose sets, the
 * wiring between them (hosts, ports, audiences, secrets, the token stand-in's certificate), and
 * the stand-ins started from their compose commands on loopback.
 */

const compose = loadComposeFile();

const DAEMONS = {
  'latigo-scheduler': 'scheduler',
  'latigo-executor-1': 'executor',
  'latigo-executor-2': 'executor',
} as const;
const STANDINS = ['token', 'time-series-api', 'gordo', 'metadata-api'] as const;

function service(name: string): ComposeService {
  const found = compose.services[name];
  if (found === undefined) {
    throw new Error(`docker-compose.yml has no service "${name}"`);
  }
  return found;
}

function command(name: string): string[] {
  return service(name).command ?? [];
}

/** The host file behind a path inside a service's container, through its bind mounts. */
function hostPath(serviceName: string, containerPath: string): string | undefined {
  for (const mount of serviceMounts(service(serviceName))) {
    const inside = posix.relative(mount.target, containerPath);
    if (mount.source.startsWith('./') && !inside.startsWith('..')) {
      return join(packageRoot(), mount.source, inside);
    }
  }
  return undefined;
}

const registry = createDefaultRegistry();

function loadDaemonConfig(name: keyof typeof DAEMONS): SchedulerConfig | ExecutorConfig {
  const environment = serviceEnvironment(service(name));
  const role = DAEMONS[name];
  const variable =
    role === 'scheduler' ? 'LATIGO_SCHEDULER_CONFIG_FILE' : 'LATIGO_EXECUTOR_CONFIG_FILE';
  const overlayFile = hostPath(name, environment[variable] ?? '');
  return role === 'scheduler'
    ? loadSchedulerConfig(registry, { overlayFile, environment })
    : loadExecutorConfig(registry, { overlayFile, environment });
}

/** Every provider section of a resolved config. */
function sections(config: SchedulerConfig | ExecutorConfig): ResolvedSection[] {
  return 'executor' in config
    ? [
        config.taskQueue,
        config.modelInfo,
        config.predictor,
        config.sensorData,
        config.predictionStorage,
        config.metadataStorage,
      ]
    : [config.taskQueue, config.modelInfo, config.projects];
}

const httpOptionsSchema = z.looseObject({
  connection_string: z.string().optional(),
  base_url: z.string().optional(),
  auth: z
    .looseObject({
      resource: z.string(),
      authority_host_url: z.string(),
      client_id: z.string(),
      client_secret: z.string(),
      ca_file: z.string(),
      auto_adding_headers: z.record(z.string(), z.string()),
    })
    .optional(),
});

const kafkaOptionsSchema = z.looseObject({
  brokers: z.array(z.string()),
  topic: z.string(),
  dead_letter_topic: z.string(),
});

describe('docker-compose.yml', () => {
  it('declares Kafka, its topic set-up, the four stand-ins, the scheduler and two executors', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['kafka', 'kafka-topics', ...STANDINS, ...Object.keys(DAEMONS)].sort(),
    );
    expect(service('kafka').image).toMatch(/^apache\/kafka:\d+\.\d+\.\d+$/);
    expect(service('kafka-topics').image).toBe(service('kafka').image);
  });

  it('publishes ports on 127.0.0.1 only', () => {
    const ports = Object.values(compose.services).flatMap((item) => item.ports ?? []);
    expect(ports.length).toBeGreaterThan(0);
    for (const port of ports) {
      expect(port).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
    }
  });

  it('runs the stand-ins and the daemons from the project image, the daemons restarting unless stopped', () => {
    for (const name of STANDINS) {
      expect(service(name).build, name).toBe('.');
      expect(command(name).slice(0, 2), name).toEqual(['standin', name]);
      expect(optionValues(command(name), '--host'), name).toEqual(['0.0.0.0']);
    }
    for (const [name, role] of Object.entries(DAEMONS)) {
      expect(service(name).build, name).toBe('.');
      expect(command(name), name).toEqual([role]);
      expect(service(name).restart, name).toBe('unless-stopped');
    }
  });

  it('starts the daemons once the topics exist and the stand-ins are healthy', () => {
    for (const name of Object.keys(DAEMONS)) {
      const dependsOn = service(name).depends_on ?? {};
      expect(dependsOn['kafka-topics']?.condition, name).toBe('service_completed_successfully');
      for (const standin of STANDINS) {
        expect(dependsOn[standin]?.condition, `${name} on ${standin}`).toBe('service_healthy');
        expect(service(standin).healthcheck?.test[0], standin).toBe('CMD');
      }
    }
    expect(service('kafka-topics').depends_on?.['kafka']?.condition).toBe('service_healthy');
  });

  it('mounts the overlays of deploy/compose read-only and names them in LATIGO_*_CONFIG_FILE', () => {
    for (const [name, role] of Object.entries(DAEMONS)) {
      const environment = serviceEnvironment(service(name));
      const variable = `LATIGO_${role.toUpperCase()}_CONFIG_FILE`;
      const overlay = hostPath(name, environment[variable] ?? '');
      expect(overlay, name).toBe(join(packageRoot(), 'deploy', 'compose', `${role}.yaml`));
      expect(existsSync(overlay ?? ''), name).toBe(true);
      const mount = serviceMounts(service(name)).find((item) => item.source === './deploy/compose');
      expect(mount?.readOnly, name).toBe(true);
    }
  });

  it('has overlays the config loader accepts with the environment compose sets, of the production types', () => {
    for (const name of Object.keys(DAEMONS) as (keyof typeof DAEMONS)[]) {
      const config = loadDaemonConfig(name);
      const types = Object.fromEntries(sections(config).map((item) => [item.section, item.type]));
      expect(types, name).toEqual(
        DAEMONS[name] === 'scheduler'
          ? { task_queue: 'kafka', model_info: 'gordo', models_metadata_info: 'metadata_api' }
          : {
              task_queue: 'kafka',
              model_info: 'gordo',
              predictor: 'gordo',
              sensor_data: 'time_series_api',
              prediction_storage: 'time_series_api',
              prediction_metadata_storage: 'metadata_api',
            },
      );
    }
  });

  it('points every HTTP provider at a stand-in that accepts its token audience, ports matching', () => {
    for (const name of Object.keys(DAEMONS) as (keyof typeof DAEMONS)[]) {
      for (const section of sections(loadDaemonConfig(name))) {
        if (section.type === 'kafka') {
          continue;
        }
        const options = httpOptionsSchema.parse(section.options);
        const url = new URL(options.connection_string ?? options.base_url ?? '');
        const standin = url.hostname;
        expect(STANDINS, `${name} ${section.section}`).toContain(standin);
        expect(optionValues(command(standin), '--port'), section.section).toEqual([url.port]);
        expect(optionValues(command(standin), '--audience'), section.section).toContain(
          options.auth?.resource,
        );
      }
    }
  });

  it('gets every token from the token stand-in, with its client, trusting the certificate it writes', () => {
    const token = command('token');
    const tokenEnvironment = serviceEnvironment(service('token'));
    const [writeCa = ''] = optionValues(token, '--write-ca');
    const tokenVolume = serviceMounts(service('token')).find(
      (mount) => mount.target === dirname(writeCa),
    );
    expect(tokenVolume?.source).toMatch(/^[a-z][a-z0-9-]*$/);
    expect(Object.keys(compose.volumes ?? {})).toContain(tokenVolume?.source);

    for (const name of Object.keys(DAEMONS) as (keyof typeof DAEMONS)[]) {
      for (const section of sections(loadDaemonConfig(name))) {
        if (section.type === 'kafka') {
          continue;
        }
        const auth = httpOptionsSchema.parse(section.options).auth;
        const where = `${name} ${section.section}`;
        const authority = new URL(auth?.authority_host_url ?? '');
        expect(authority.protocol, where).toBe('https:');
        expect(optionValues(token, '--tls-name'), where).toContain(authority.hostname);
        expect(optionValues(token, '--port'), where).toEqual([authority.port]);
        expect(tokenEnvironment['LATIGO_STANDIN_TOKEN_CLIENTS']?.split(','), where).toContain(
          `${auth?.client_id}:${auth?.client_secret}`,
        );
        const caMount = serviceMounts(service(name)).find(
          (mount) => mount.target === posix.dirname(auth?.ca_file ?? ''),
        );
        expect(caMount?.source, where).toBe(tokenVolume?.source);
        expect(basename(auth?.ca_file ?? ''), where).toBe(basename(writeCa));
      }
    }
  });

  it('shares one token signing secret among the stand-ins and gives the metadata API key to Latigo', () => {
    const secrets = STANDINS.map(
      (name) => serviceEnvironment(service(name))['LATIGO_STANDIN_TOKEN_SECRET'],
    );
    expect(secrets[0]).toMatch(/.{16,}/);
    expect(new Set(secrets).size).toBe(1);

    const key = serviceEnvironment(service('metadata-api'))['LATIGO_STANDIN_APIM_KEY'];
    for (const name of Object.keys(DAEMONS) as (keyof typeof DAEMONS)[]) {
      for (const section of sections(loadDaemonConfig(name))) {
        if (section.type === 'metadata_api') {
          const auth = httpOptionsSchema.parse(section.options).auth;
          expect(auth?.auto_adding_headers['Ocp-Apim-Subscription-Key'], name).toBe(key);
        }
      }
    }
  });

  it('creates the task and dead-letter topics the overlays use on the broker they name', () => {
    const setup = command('kafka-topics').join(' ');
    for (const name of Object.keys(DAEMONS) as (keyof typeof DAEMONS)[]) {
      const options = kafkaOptionsSchema.parse(loadDaemonConfig(name).taskQueue.options);
      expect(options.brokers, name).toEqual(['kafka:9092']);
      expect(setup, name).toContain(`--topic ${options.topic} `);
      if (DAEMONS[name] === 'executor') {
        expect(setup, name).toContain(`--topic ${options.dead_letter_topic} `);
      }
    }
    const listeners = serviceEnvironment(service('kafka'))['KAFKA_ADVERTISED_LISTENERS'];
    expect(listeners).toContain('://kafka:9092');
  });
});

describe('the stand-ins of docker-compose.yml, started from their compose commands on loopback', () => {
  const running = new Map<string, { process: LatigoProcess; port: number }>();
  let folder: string;
  const caFile = (): string => join(folder, 'token-ca.pem');
  const writeCa = optionValues(command('token'), '--write-ca')[0] ?? '';

  /** The compose command, bound to 127.0.0.1 on a free port, the CA file in the test folder. */
  function loopbackCommand(name: string): string[] {
    const original = command(name);
    const local: Record<string, string> = {
      '--host': '127.0.0.1',
      '--port': '0',
      '--write-ca': caFile(),
    };
    return original.map((item, index) => local[original[index - 1] ?? ''] ?? item);
  }

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'latigo-compose-'));
    await Promise.all(
      STANDINS.map(async (name) => {
        const child = startLatigo(name, loopbackCommand(name), serviceEnvironment(service(name)));
        const line = await child.waitForLine('its URL', (item) =>
          /stand-in listening on \S+/.test(item.text),
        );
        const url = new URL(/listening on (\S+)/.exec(line.text)?.[1] ?? '');
        running.set(name, { process: child, port: Number(url.port) });
      }),
    );
  }, 60_000);

  afterAll(async () => {
    await Promise.all([...running.values()].map((item) => item.process.stop('SIGKILL')));
    rmSync(folder, { recursive: true, force: true });
  });

  it('pass their own healthchecks', async () => {
    for (const name of STANDINS) {
      const [kind, program, flag, script = ''] = service(name).healthcheck?.test ?? [];
      expect([kind, program, flag], name).toEqual(['CMD', 'node', '-e']);
      const composePort = optionValues(command(name), '--port')[0] ?? '';
      const port = String(running.get(name)?.port);
      const local = script.replaceAll(composePort, port).replaceAll(writeCa, caFile());
      await expect(
        promisify(execFile)(process.execPath, ['-e', local], { timeout: 10_000 }),
        name,
      ).resolves.toBeDefined();
    }
  });

  it("serve the token stand-in's certificate for its compose name", async () => {
    const port = running.get('token')?.port;
    const status = await new Promise<number | undefined>((resolve, reject) => {
      get(
        {
          host: '127.0.0.1',
          port,
          path: '/_control/health',
          servername: 'token',
          ca: readFileSync(caFile()),
        },
        (response) => {
          response.resume();
          resolve(response.statusCode);
        },
      ).on('error', reject);
    });
    expect(status).toBe(200);
  });

  it('stop on SIGTERM with exit code 0', async () => {
    const exits = await Promise.all(
      STANDINS.map((name) => running.get(name)?.process.stop() ?? Promise.resolve(undefined)),
    );
    expect(exits).toEqual(STANDINS.map(() => ({ code: 0, signal: null })));
  });
});
