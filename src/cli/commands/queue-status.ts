import { Kafka } from 'kafkajs';

import { originOf } from '../../config/load.js';
import { loadLayers } from '../../config/resolve.js';
import { LatigoError } from '../../errors/index.js';
import { ProviderRegistry, type ProcessRole } from '../../registry/registry.js';
import { taskQueueFactories } from '../../task-queue/index.js';
import type { KafkaTaskQueueConfig } from '../../task-queue/kafka/kafka-config.js';
import { resolveKafkaSettings, type KafkaSettings } from '../../task-queue/kafka/kafka-settings.js';
import { kafkaClientConfig } from '../../task-queue/kafka/kafkajs-options.js';
import { readQueueStatus } from '../../task-queue/kafka/queue-status.js';
import { CHECK_RETRY } from '../../task-queue/kafka/topic-check.js';
import { parseCommandArgs, roleArgument } from '../args.js';
import type { CliCommand } from '../command.js';
import { queueStatusJson, queueStatusTable } from '../queue-status-report.js';

const USAGE = `Usage: latigo queue-status [scheduler|executor] [--config FILE] [--json]

Shows how far the executors' consumer group is through the task topic: for each partition its
start and end offset, the group's committed offset and the lag (tasks not finished yet), with
totals, and how many messages the dead-letter topic holds.

The task_queue section comes from the executor's configuration (default) or the scheduler's:
defaults from deploy/, the overlay from --config or the LATIGO_*_CONFIG_FILE variable, \${NAME}
from the environment. Only task_queue is read and validated; it must be of type kafka.

  --config FILE   the overlay file
  --json          one JSON document instead of the table

Exits 0 after printing, 1 when the broker cannot be reached or the task topic does not exist,
2 for bad arguments or configuration. Logs go to stderr (LATIGO_LOG_LEVEL, default error).`;

export const queueStatusCommand: CliCommand = {
  name: 'queue-status',
  summary: "show the task topic's offsets, the executors' committed offsets and lag",
  usage: USAGE,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(
      'queue-status',
      args,
      { config: { type: 'string' }, json: { type: 'boolean' } },
      true,
    );
    if (values.help === true) {
      context.out.write(`${USAGE}\n`);
      return 0;
    }
    const role = roleArgument('queue-status', positionals, 'executor');

    const settings = loadKafkaSettings(role, values.config, context.environment);
    const kafka = new Kafka({
      ...kafkaClientConfig(settings, context.logger),
      retry: CHECK_RETRY,
    });
    const status = await readQueueStatus(kafka, settings, context.signal);
    context.out.write(values.json === true ? queueStatusJson(status) : queueStatusTable(status));
    return 0;
  },
};

/**
 * The Kafka settings of a role's task_queue section, from the same layers the daemon reads. Only
 * that section is substituted and validated, so a variable or key another section needs (a Gordo
 * URL, a client secret) need not be set to look at the queue. Throws CONFIG_INVALID naming the
 * file and key.
 */
function loadKafkaSettings(
  role: ProcessRole,
  overlayFile: string | undefined,
  environment: Readonly<Record<string, string | undefined>>,
): KafkaSettings {
  const config = loadLayers(role, { overlayFile, environment }, ['task_queue']);

  const registry = new ProviderRegistry();
  for (const factory of taskQueueFactories) {
    registry.register(factory);
  }
  const section = registry.resolve(
    'task_queue',
    config,
    ['task_queue'],
    config.merged['task_queue'],
  );
  if (section.type !== 'kafka') {
    throw new LatigoError(
      'CONFIG_INVALID',
      `${originOf(config, ['task_queue', 'type'])}: task_queue.type: is "${section.type}"; latigo queue-status reads a Kafka topic (type: kafka)`,
      { context: { key: 'task_queue.type' } },
    );
  }
  // The registry validated the section with the kafka factory's schema.
  return resolveKafkaSettings(section.options as KafkaTaskQueueConfig);
}
