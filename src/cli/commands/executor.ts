import { buildExecutor } from '../../app/build-executor.js';
import { closeAll } from '../../app/lifecycle.js';
import { EXECUTOR_CONFIG_ENV, loadExecutorConfig } from '../../config/resolve.js';
import { createDefaultRegistry } from '../../registry/default-registry.js';
import { latigoVersion } from '../../util/package-root.js';
import { parseCommandArgs } from '../args.js';
import type { CliCommand } from '../command.js';
import { logConfiguration, requireSharedQueue } from '../daemon.js';

const USAGE = `Usage: latigo executor [--config FILE]

Runs an executor daemon: takes tasks from the task queue and, for each, reads the window's
sensor data, predicts, stores the predictions and records their metadata. Run as many as needed.

Options:
  --config FILE   overlay merged over deploy/executor_config.yaml
                  (default: the file named by ${EXECUTOR_CONFIG_ENV})
  -h, --help      show this help

On SIGINT or SIGTERM it stops taking tasks, lets in-flight tasks finish within
executor.shutdown_grace, releases the rest for redelivery, and exits 0. It also exits 0 to be
restarted when restart_interval_sec is reached; 1 when a start-up check fails, 2 on bad
configuration.`;

export const executorCommand: CliCommand = {
  name: 'executor',
  summary: 'run an executor daemon (consumes tasks: read, predict, store, record)',
  usage: USAGE,
  async run(args, context) {
    const { values } = parseCommandArgs('executor', args, { config: { type: 'string' } });
    if (values.help === true) {
      context.out.write(`${USAGE}\n`);
      return 0;
    }
    const registry = createDefaultRegistry();
    const config = loadExecutorConfig(registry, {
      overlayFile: values.config,
      environment: context.environment,
    });
    requireSharedQueue('executor', config);
    const logger = context.logger;
    logConfiguration(logger, config);

    const built = await buildExecutor(config, registry, logger, context.signal);
    const stop = new AbortController();
    const onSignal = (): void => stop.abort();
    context.signal.addEventListener('abort', onSignal, { once: true });
    const restartMs = config.executor.restart_interval_sec * 1000;
    let restarting = false;
    const restartTimer =
      restartMs >= 1000
        ? setTimeout(() => {
            restarting = true;
            stop.abort();
          }, restartMs)
        : undefined;
    restartTimer?.unref();
    try {
      logger.info(
        { version: latigoVersion(), instanceCount: config.executor.instance_count },
        'executor started',
      );
      await built.executor.run(stop.signal);
      logger.info({}, restarting ? 'executor restarting to clear state' : 'executor stopped');
      return 0;
    } finally {
      clearTimeout(restartTimer);
      context.signal.removeEventListener('abort', onSignal);
      await closeAll(built.parts, logger);
    }
  },
};
