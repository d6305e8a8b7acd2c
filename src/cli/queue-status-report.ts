import type { QueueStatus } from '../task-queue/kafka/queue-status.js';
import { countOf } from '../util/plural.js';

const HEADER = ['partition', 'start', 'end', 'committed', 'lag'] as const;

/** Marks a lag counted from the start offset, explained below the table. */
const FROM_START = '*';

/**
 * The queue status as a table for people: one row per partition of the task topic (start and
 * end offset, the group's committed offset, lag), a total row, then the dead-letter topic.
 */
export function queueStatusTable(status: QueueStatus): string {
  const rows: string[][] = status.partitions.map((entry) => [
    String(entry.partition),
    String(entry.startOffset),
    String(entry.endOffset),
    entry.committedOffset === null ? '-' : String(entry.committedOffset),
    entry.lagFrom === 'start' ? `${entry.lag} ${FROM_START}` : String(entry.lag),
  ]);
  rows.push(['total', '', String(status.totals.endOffset), '', String(status.totals.lag)]);
  const widths = HEADER.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => numberPart(row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => alignRight(cell, widths[column] ?? 0))
      .join('  ')
      .trimEnd();

  const lines = [
    `Kafka broker ${status.broker}, task topic "${status.topic}", consumer group "${status.groupId}"`,
    ...(status.configuredTopic === undefined
      ? []
      : [
          `(the topic is the connection string's EntityPath; task_queue.topic "${status.configuredTopic}" is not used)`,
        ]),
    '',
    line(HEADER),
    ...rows.map(line),
  ];
  if (status.totals.partitionsWithoutCommit > 0) {
    lines.push(
      '',
      `${FROM_START} no offset committed by the group: lag counted from the partition's start offset`,
    );
  }
  lines.push('', deadLetterLine(status.deadLetter));
  return `${lines.join('\n')}\n`;
}

/** The queue status for machines: one JSON document. */
export function queueStatusJson(status: QueueStatus): string {
  return `${JSON.stringify(status, null, 2)}\n`;
}

function deadLetterLine(deadLetter: QueueStatus['deadLetter']): string {
  if (deadLetter.messages === null) {
    return `dead-letter topic "${deadLetter.topic}": does not exist`;
  }
  return `dead-letter topic "${deadLetter.topic}": ${countOf(deadLetter.messages, 'message')}`;
}

/** A cell without its footnote mark, which sticks out to the right of the column. */
function numberPart(cell: string): string {
  return cell.endsWith(` ${FROM_START}`) ? cell.slice(0, -FROM_START.length - 1) : cell;
}

function alignRight(cell: string, width: number): string {
  const mark = cell.slice(numberPart(cell).length);
  return `${numberPart(cell).padStart(width)}${mark}`;
}
