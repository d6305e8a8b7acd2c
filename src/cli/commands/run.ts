import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { runEmbedded, type EmbeddedSummary, type TaskOrigin } from '../../app/embedded.js';
import { unreadableFileMessage } from '../../config/load.js';
import {
  EXECUTOR_CONFIG_ENV,
  loadExecutorConfig,
  loadSchedulerConfig,
  ProblemCollector,
  SCHEDULER_CONFIG_ENV,
} from '../../config/resolve.js';
import { formatRange } from '../../domain/time-range.js';
import { LatigoError } from '../../errors/index.js';
import { createDefaultRegistry } from '../../registry/default-registry.js';
import { systemClock } from '../../util/clock.js';
import { causedByAbort } from '../../util/abort.js';
import { packageRoot } from '../../util/package-root.js';
import { countOf } from '../../util/plural.js';
import { parseCommandArgs } from '../args.js';
import type { CliCommand } from '../command.js';
import { ProgressBar } from '../progress.js';

/** The embedded default: the SKAB pump sample shipped with Latigo. */
export function sampleOverlay(role: 'scheduler' | 'executor'): string {
  return join(packageRoot(), 'deploy', 'samples', 'skab', `${role}.yaml`);
}

const USAGE = `Usage: latigo run [--once] [--scheduler-config FILE] [--executor-config FILE]

Runs the scheduler and an executor in one process (the embedded mode). At start it back-fills
every slot of scheduler.back_fill_max_interval and works through those windows with a progress
bar, prints a summary, then goes on predicting at every slot until Ctrl-C.

With no config given it runs the embedded default: the SKAB water-pump sample in
deploy/samples/skab (in-memory queue, models from YAML, sensor data from CSV, the builtin
anomaly model, predictions in a SQLite file).

Options:
  --once                     stop after the back-fill and its summary
  --scheduler-config FILE    scheduler overlay (default: ${SCHEDULER_CONFIG_ENV}, else the sample)
  --executor-config FILE     executor overlay (default: ${EXECUTOR_CONFIG_ENV}, else the sample)
  -h, --help                 show this help

Exits 0 when stopped by Ctrl-C or SIGTERM; with --once, 0 when every window succeeded, 1 when
one failed, 130 when interrupted before the back-fill was done. 2 for bad configuration.`;

export const runCommand: CliCommand = {
  name: 'run',
  summary: 'run scheduler and executor in one process (embedded mode; the SKAB sample by default)',
  usage: USAGE,
  async run(args, context) {
    const { values } = parseCommandArgs('run', args, {
      once: { type: 'boolean' },
      'scheduler-config': { type: 'string' },
      'executor-config': { type: 'string' },
    });
    if (values.help === true) {
      context.out.write(`${USAGE}\n`);
      return 0;
    }
    const { environment, out } = context;
    const registry = createDefaultRegistry();
    const overlay = (flag: string | undefined, variable: string, role: 'scheduler' | 'executor') =>
      flag !== undefined
        ? { file: flag, namedBy: undefined }
        : environment[variable] !== undefined
          ? { file: environment[variable], namedBy: variable }
          : { file: sampleOverlay(role), namedBy: undefined };
    const schedulerOverlay = overlay(values['scheduler-config'], SCHEDULER_CONFIG_ENV, 'scheduler');
    const executorOverlay = overlay(values['executor-config'], EXECUTOR_CONFIG_ENV, 'executor');
    // Both files are looked for before either is refused: a newcomer learns of both at once.
    const missing = [schedulerOverlay, executorOverlay]
      .filter(({ file }) => !existsSync(file))
      .map(({ file, namedBy }) => unreadableFileMessage(file, ': no such file', namedBy));
    if (missing.length > 0) {
      const message =
        missing.length === 1
          ? missing.join('')
          : `config files missing:\n  ${missing.join('\n  ')}`;
      throw new LatigoError('CONFIG_FILE_UNREADABLE', message, {
        context: { files: missing.length },
      });
    }
    const schedulerFile = schedulerOverlay.file;
    const executorFile = executorOverlay.file;
    // Both configurations are read before either is refused, so every problem shows at once.
    const problems = new ProblemCollector();
    const schedulerConfig = problems.run(() =>
      loadSchedulerConfig(registry, { overlayFile: schedulerFile, environment }),
    );
    const executorConfig = problems.run(() =>
      loadExecutorConfig(registry, { overlayFile: executorFile, environment }),
    );
    problems.throwIfAny();

    out.write(
      `Latigo embedded run\n  scheduler config: ${schedulerFile}\n  executor config:  ${executorFile}\n`,
    );
    const bar = new ProgressBar(out, 'back-fill');
    let catchingUp = true;
    /** Ctrl-C or SIGTERM came before every back-fill window was done. */
    let interrupted = false;
    /** Slots the back-fill set out to schedule. */
    let dueSlots = 0;
    /** The back-fill ran to its end or was interrupted on the way (it had started). */
    let backFillEnded = false;
    const interruptedBeforeStart = (): number => {
      out.write('Interrupted before the back-fill started.\n');
      return values.once === true ? INTERRUPTED_EXIT : 0;
    };
    const running = runEmbedded(
      {
        schedulerConfig: schedulerConfig!,
        executorConfig: executorConfig!,
        registry,
        logger: context.logger,
        clock: systemClock,
        once: values.once === true,
        observer: {
          catchUpStarted: (slots) => {
            dueSlots = slots;
            bar.expectSlots(slots);
            out.write(`  back-filling ${countOf(slots, 'slot')}\n`);
          },
          taskFinished: (report, counts, origin) => {
            if (catchingUp) {
              bar.update(counts);
            } else if (!interrupted) {
              out.write(
                `  ${report.task.project}/${report.task.model} ${formatRange(report.task.window)}: ${report.status}${ORIGIN_NOTES[origin]}\n`,
              );
            }
          },
          catchUpFinished: (result) => {
            backFillEnded = true;
            catchingUp = false;
            bar.finish();
            out.write(renderSummary(result));
            interrupted = context.signal.aborted;
            if (interrupted) {
              const notRun = result.total - result.succeeded - result.failed;
              const unscheduled = Math.max(0, dueSlots - result.slots);
              out.write(
                `Interrupted before the back-fill was done: ${notRun} of ${result.total} scheduled windows not run, ${unscheduled} of ${dueSlots} slots not scheduled.\n`,
              );
            } else if (values.once !== true) {
              out.write('Going on predicting at every slot; Ctrl-C to stop.\n');
            }
          },
          slotScheduled: (slot, windows) =>
            out.write(`slot ${slot}: ${countOf(windows, 'window')} scheduled\n`),
        },
      },
      context.signal,
    );
    let summary: EmbeddedSummary;
    try {
      summary = await running;
    } catch (error) {
      // Ctrl-C during a start-up check: an interruption, not a failure of the check.
      if (context.signal.aborted && causedByAbort(error)) {
        return interruptedBeforeStart();
      }
      throw error;
    }
    if (!backFillEnded && context.signal.aborted) {
      return interruptedBeforeStart();
    }
    if (values.once === true) {
      // A --once run that did not finish must not look like one that did.
      return interrupted ? INTERRUPTED_EXIT : summary.failed > 0 ? 1 : 0;
    }
    if (!interrupted) {
      const older = summary.older > 0 ? `; ${olderTasks(summary)}` : '';
      out.write(
        `Stopped after ${countOf(summary.slots, 'slot')}: ${countOf(summary.succeeded, 'window')} done, ${summary.failed} failed (the back-fill included)${older}.\n`,
      );
    }
    return 0;
  },
};

/** The exit status of a `--once` run stopped by Ctrl-C or SIGTERM: 128 + SIGINT, as shells use. */
const INTERRUPTED_EXIT = 130;

/** What a task line after the back-fill adds for a task this run did not schedule. */
const ORIGIN_NOTES: Readonly<Record<TaskOrigin, string>> = {
  scheduled: '',
  older: ' (an older task from the queue)',
  repeated: ' (again: already counted)',
};

/** "3 older tasks from the queue also ran", with how many failed when some did. */
function olderTasks(summary: EmbeddedSummary): string {
  const failed = summary.olderFailed > 0 ? ` (${summary.olderFailed} failed)` : '';
  return `${countOf(summary.older, 'older task')} from the queue also ran${failed}`;
}

/**
 * The back-fill's summary. Its windows are the tasks the back-fill scheduled, told by their ids;
 * older tasks the executor took from the queue, and repeated reports, are listed apart.
 */
export function renderSummary(summary: EmbeddedSummary): string {
  const lines = [
    'Summary',
    `  windows done:   ${summary.succeeded}`,
    `  windows failed: ${summary.failed}`,
    `  rows stored:    ${summary.rows} (${summary.points} values; ${summary.skipped} non-finite skipped)`,
    `  results:        ${summary.location ?? 'see the prediction_storage section of the executor config'}`,
  ];
  for (const failure of summary.failures) {
    lines.push(`  failed: ${failure}`);
  }
  const unlisted = summary.failed - summary.failures.length;
  if (unlisted > 0) {
    lines.push(
      `  and ${countOf(unlisted, 'more failed window')}: each has a "task failed" line in the log on stderr`,
    );
  }
  if (summary.older > 0) {
    lines.push(
      `  ${olderTasks(summary)}; ${summary.older === 1 ? 'it is' : 'they are'} not counted above`,
    );
  }
  if (summary.repeated > 0) {
    lines.push(
      `  ${countOf(summary.repeated, 'repeat')} of windows already counted (redelivered, or copies left in the queue); not counted again`,
    );
  }
  return `${lines.join('\n')}\n`;
}
