/**
 * The offsets of one partition that this consumer took: which are still being worked on, and
 * how far the partition may be committed. Kafka commits one number per partition, "everything
 * before this offset is done", so with tasks finishing out of order the commit point is the
 * oldest unfinished offset, or the next offset to read when every taken one is finished.
 */
export class PartitionOffsets {
  /** Offsets taken and not finished yet (in flight, released, or waiting for dead-lettering). */
  private readonly unfinished = new Set<number>();
  /** One past the highest offset taken; offsets below it were seen already. */
  private nextOffset: number | undefined;
  /**
   * The last commit point committed, or where this member started reading the partition (the
   * group's committed offset, or the reset position): nothing before it needs committing.
   */
  private committedOffset: number | undefined;
  private revokedFlag = false;

  constructor(readonly partition: number) {}

  /** Whether `offset` was taken before (a re-fetch after a rebalance brings it again). */
  wasTaken(offset: number): boolean {
    return this.nextOffset !== undefined && offset < this.nextOffset;
  }

  /** Records that `offset` was handed out; it holds the commit point until finished. */
  take(offset: number): void {
    this.unfinished.add(offset);
    this.advance(offset);
  }

  /** Records an offset that needed no work from an executor (a dead-lettered malformed message). */
  takeFinished(offset: number): void {
    this.advance(offset);
  }

  finish(offset: number): void {
    this.unfinished.delete(offset);
  }

  /** The offset up to which everything taken is finished, or undefined before anything was taken. */
  commitPoint(): number | undefined {
    if (this.nextOffset === undefined) {
      return undefined;
    }
    let oldest = this.nextOffset;
    for (const offset of this.unfinished) {
      oldest = Math.min(oldest, offset);
    }
    return oldest;
  }

  /** The commit point, when it moved past the last commit. */
  uncommitted(): number | undefined {
    const point = this.commitPoint();
    if (
      point === undefined ||
      (this.committedOffset !== undefined && point <= this.committedOffset)
    ) {
      return undefined;
    }
    return point;
  }

  markCommitted(offset: number): void {
    this.committedOffset = Math.max(this.committedOffset ?? offset, offset);
  }

  get unfinishedCount(): number {
    return this.unfinished.size;
  }

  /** The partition went to another member: nothing of it may be committed any more. */
  revoke(): void {
    this.revokedFlag = true;
  }

  get revoked(): boolean {
    return this.revokedFlag;
  }

  private advance(offset: number): void {
    this.committedOffset ??= offset;
    this.nextOffset = Math.max(this.nextOffset ?? offset + 1, offset + 1);
  }
}
