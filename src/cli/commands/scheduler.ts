import { buildScheduler } from '../../app/build-scheduler.js';
import { closeAll } from '../../app/lifecycle.js';
import { loadSchedulerConfig, SCHEDULER_CONFIG_ENV } from '../../config/resolve.js';
import { formatDuration } from '../../config/duration.js';
import { isoUtc } from '../../domain/time-range.js';
import { createDefaultRegistry } from '../../registry/default-registry.js';
import { slotAfter } from '../../scheduler/slots.js';
import { systemClock } from '../../util/clock.js';
import { latigoVersion } from '../../util/package-root.js';
import { parseCommandArgs } from '../args.js';
import type { CliCommand } from '../command.js';
import { logConfiguration, requireSharedQueue } from '../daemon.js';

const USAGE = `Usage: latigo scheduler [--config FILE]

Runs the scheduler daemon: at every slot of the grid it lists the models of the configured
projects and publishes one task per model to the task queue.

Options:
  --config FILE   overlay merged over deploy/scheduler_config.yaml
                  (default: the file named by ${SCHEDULER_CONFIG_ENV})
  -h, --help      show this help

Stops on SIGINT or SIGTERM; exits 0 when stopped or when restart_interval_sec is reached
(the orchestrator starts it again), 1 when a start-up check fails, 2 on bad configuration.`;

export const schedulerCommand: CliCommand = {
  name: 'scheduler',
  summary: 'run the scheduler daemon (publishes tasks at fixed wall-clock slots)',
  usage: USAGE,
  async run(args, context) {
    const { values } = parseCommandArgs('scheduler', args, { config: { type: 'string' } });
    if (values.help === true) {
      context.out.write(`${USAGE}\n`);
      return 0;
    }
    const registry = createDefaultRegistry();
    const config = loadSchedulerConfig(registry, {
      overlayFile: values.config,
      environment: context.environment,
    });
    requireSharedQueue('scheduler', config);
    const logger = context.logger;
    logConfiguration(logger, config);

    const built = await buildScheduler(
      config,
      registry,
      logger,
      { clock: systemClock, backFillFrom: 'queue' },
      context.signal,
    );
    try {
      const section = config.scheduler;
      const nextSlot = slotAfter(built.scheduler.grid, systemClock.now());
      logger.info(
        {
          version: latigoVersion(),
          startTime: formatMinutes(section.continuous_prediction_start_time),
          timeZone: section.continuous_prediction_timezone,
          interval: formatDuration(section.continuous_prediction_interval),
          delay: formatDuration(section.continuous_prediction_delay),
          nextSlot: isoUtc(nextSlot),
          runAtOnce: section.run_at_once,
        },
        'scheduler started',
      );
      const exit = await built.scheduler.run(context.signal);
      logger.info(
        { exit },
        exit === 'restart' ? 'scheduler restarting to clear state' : 'scheduler stopped',
      );
      return 0;
    } finally {
      await closeAll(built.parts, logger);
    }
  },
};

function formatMinutes(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
