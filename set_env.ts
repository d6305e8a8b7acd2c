/**
 * Local environment helper, the counterpart of the original set_env.py.
 *
 *   npm run set-env                  creates local_config.yaml (if missing) and shows its values,
 *                                    secrets masked
 *   eval "$(npm run -s set-env)"     exports the values into the current shell
 *
 * local_config.yaml is git-ignored; it holds the variables docker compose and the Makefile read.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

import yaml from 'js-yaml';

import { isSecretKey, REDACTED } from './src/config/redact.js';

const FILE = 'local_config.yaml';

const TEMPLATE = `# Local settings for Latigo (git-ignored). Load them with: eval "$(npm run -s set-env)"
DOCKER_REGISTRY: "CHANGE ME"
DOCKER_REPO: "latigo"
DOCKER_USERNAME: "CHANGE ME"
DOCKER_PASSWORD: "CHANGE ME"
LATIGO_SCHEDULER_CONFIG_FILE: "/app/scheduler_local.yaml"
LATIGO_EXECUTOR_CONFIG_FILE: "/app/executor_local.yaml"
LATIGO_KEY_VAULT: "CHANGE ME"
# Secrets referenced from the config files as \${NAME}:
LATIGO_TASK_QUEUE_CONNECTION_STRING: "CHANGE ME"
LATIGO_GORDO_CLIENT_SECRET: "CHANGE ME"
LATIGO_TIME_SERIES_CLIENT_SECRET: "CHANGE ME"
LATIGO_METADATA_API_CLIENT_SECRET: "CHANGE ME"
LATIGO_METADATA_API_APIM_KEY: "CHANGE ME"
`;

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function main(): number {
  if (!existsSync(FILE)) {
    writeFileSync(FILE, TEMPLATE, { mode: 0o600 });
    process.stderr.write(
      `created ${FILE}: edit the values marked CHANGE ME, then run this again\n`,
    );
  }
  const parsed = yaml.load(readFileSync(FILE, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    process.stderr.write(`${FILE}: expected a map of NAME: value lines\n`);
    return 2;
  }
  const entries = Object.entries(parsed as Record<string, unknown>);
  for (const [name, value] of entries) {
    if (
      !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ||
      (typeof value !== 'string' && typeof value !== 'number')
    ) {
      process.stderr.write(`${FILE}: ${name}: expected a variable name with a text value\n`);
      return 2;
    }
  }
  // Exports go to a pipe (eval); on a terminal the values are shown with secrets masked.
  const toTerminal = process.stdout.isTTY === true;
  for (const [name, value] of entries) {
    const text = String(value);
    const shown = toTerminal && isSecretKey(name) ? REDACTED : text;
    process.stdout.write(`export ${name}=${toTerminal ? shown : shellQuote(text)}\n`);
  }
  return 0;
}

process.exitCode = main();
