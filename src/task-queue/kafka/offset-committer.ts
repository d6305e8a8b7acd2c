import { toLatigoError } from '../../errors/index.js';
import type { Logger } from '../../logging/logger.js';
import type { CommitMode } from './kafka-settings.js';
import type { PartitionOffsets } from './partition-offsets.js';

/** One partition's new commit point: the next offset to read. */
export interface PartitionCommit {
  readonly partition: number;
  readonly offset: string;
}

/** Wait before trying a failed commit again, when commits are not on an interval anyway. */
const RETRY_DELAY_MS = 1_000;

/**
 * Commits the partitions' commit points: on an interval (enable.auto.commit: true) or right away
 * (false). One commit request at a time; a failed commit is logged and tried again later, since
 * its offsets stay uncommitted (their tasks would be delivered again, never lost).
 */
export class OffsetCommitter {
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly mode: CommitMode,
    private readonly partitions: () => Iterable<PartitionOffsets>,
    private readonly commit: (commits: readonly PartitionCommit[]) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  /** A commit point may have moved. Resolves after the commit when commits are immediate. */
  changed(): Promise<void> {
    if (this.mode.kind === 'each' || this.mode.intervalMs === 0) {
      return this.flush();
    }
    this.schedule(this.mode.intervalMs);
    return Promise.resolve();
  }

  /** Commits every partition whose commit point moved, after any commit already under way. */
  flush(): Promise<void> {
    const next = this.chain.then(() => this.commitOnce());
    this.chain = next;
    return next;
  }

  /** No more timed commits; `flush` still works. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(delayMs: number): void {
    if (this.stopped || this.timer !== undefined) {
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, delayMs);
    this.timer.unref();
  }

  private async commitOnce(): Promise<void> {
    const due: { offsets: PartitionOffsets; point: number }[] = [];
    for (const offsets of this.partitions()) {
      const point = offsets.revoked ? undefined : offsets.uncommitted();
      if (point !== undefined) {
        due.push({ offsets, point });
      }
    }
    if (due.length === 0) {
      return;
    }
    const commits = due.map(({ offsets, point }) => ({
      partition: offsets.partition,
      offset: String(point),
    }));
    try {
      await this.commit(commits);
      for (const { offsets, point } of due) {
        offsets.markCommitted(point);
      }
      this.logger.debug({ commits }, 'offsets committed');
    } catch (error) {
      this.logger.warn(
        { err: toLatigoError(error, 'QUEUE_UNAVAILABLE'), commits },
        'committing offsets failed; trying again later',
      );
      this.schedule(
        this.mode.kind === 'interval' ? this.mode.intervalMs || RETRY_DELAY_MS : RETRY_DELAY_MS,
      );
    }
  }
}
