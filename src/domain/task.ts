import { sha256Hex } from '../util/sha256.js';
import { formatRange, isoUtc, type TimeRange } from './time-range.js';

/**
 * One prediction to make: a model of a project over one half-open window. The id is derived from
 * the four identifying fields only, so the same window of the same model always has the same id.
 */
export interface Task {
  readonly id: string;
  readonly project: string;
  readonly model: string;
  readonly window: TimeRange;
}

/** Deterministic task id: SHA-256 of project, model, from and to, first 32 hex characters. */
export function taskId(project: string, model: string, window: TimeRange): string {
  return sha256Hex(`${project}\n${model}\n${isoUtc(window.fromMs)}\n${isoUtc(window.toMs)}`).slice(
    0,
    32,
  );
}

export function createTask(project: string, model: string, window: TimeRange): Task {
  return { id: taskId(project, model, window), project, model, window };
}

/** The Kafka message key: tasks of one model share a partition. */
export function taskKey(task: Pick<Task, 'project' | 'model'>): string {
  return `${task.project}/${task.model}`;
}

/** The fields that name one task in its log lines. */
export function taskLogFields(task: Task): Record<string, string> {
  return {
    taskId: task.id,
    project: task.project,
    model: task.model,
    window: formatRange(task.window),
  };
}
