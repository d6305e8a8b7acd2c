import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

import { CLI } from './cli.js';
import { packageRoot } from '../../src/util/package-root.js';
import { waitUntil } from './wait.js';

/** One line a process wrote to stdout: its JSON fields (pino), or `text` when not JSON. */
export type OutputLine = Readonly<Record<string, unknown>> & { readonly text: string };

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A `latigo ...` child process and everything it wrote. */
export interface LatigoProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly lines: readonly OutputLine[];
  readonly exited: Promise<ExitStatus>;
  /** The log lines whose `msg` is `message`. */
  logged(message: string): OutputLine[];
  /** Waits for a line matching `predicate`; fails early, with the output, if the process exits. */
  waitForLine(
    what: string,
    predicate: (line: OutputLine) => boolean,
    timeoutMs?: number,
  ): Promise<OutputLine>;
  /** Sends `signal` (default SIGTERM) and resolves how the process exited; SIGKILL after `timeoutMs`. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<ExitStatus>;
  /** The last lines of stdout and stderr, for failure messages. */
  describeOutput(): string;
}

/** Environment variables of the test runner that must not leak into a child's configuration. */
const CLEARED = /^LATIGO_/;

/** Starts `node dist/src/cli/main.js <args>` from the project root with only `environment` set. */
export function startLatigo(
  name: string,
  args: readonly string[],
  environment: Readonly<Record<string, string>>,
): LatigoProcess {
  if (!existsSync(CLI)) {
    throw new Error(`${CLI} is missing: run "npm run build" first (the test command does)`);
  }
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !CLEARED.test(key)),
  );
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: packageRoot(),
    env: { ...inherited, LATIGO_LOG_LEVEL: 'info', ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: OutputLine[] = [];
  let pending = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const complete = pending.split('\n');
    pending = complete.pop() ?? '';
    lines.push(...complete.filter((text) => text.trim() !== '').map(parseLine));
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<ExitStatus>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });

  const describeOutput = (): string => {
    const tail = lines
      .slice(-15)
      .map((line) => line.text)
      .join('\n');
    return `--- ${name} stdout (last lines)\n${tail}\n--- ${name} stderr\n${stderr.slice(-2_000)}`;
  };
  return {
    name,
    child,
    lines,
    exited,
    logged: (message) => lines.filter((line) => line['msg'] === message),
    async waitForLine(what, predicate, timeoutMs = 30_000) {
      let found: OutputLine | undefined;
      await waitUntil(
        `${name} to write ${what}`,
        () => {
          found = lines.find(predicate);
          if (found === undefined && (child.exitCode !== null || child.signalCode !== null)) {
            throw new Error(
              `${name} exited (${child.exitCode ?? child.signalCode})\n${describeOutput()}`,
            );
          }
          return found !== undefined;
        },
        { timeoutMs, describe: describeOutput },
      );
      return found!;
    },
    async stop(signal = 'SIGTERM', timeoutMs = 45_000) {
      // A second SIGTERM or SIGINT makes Latigo exit at once: sent only when none was yet.
      const running = child.exitCode === null && child.signalCode === null;
      if (running && (!child.killed || signal === 'SIGKILL')) {
        child.kill(signal);
      }
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
    describeOutput,
  };
}

function parseLine(text: string): OutputLine {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return { ...(parsed as Record<string, unknown>), text };
    }
  } catch {
    // A plain text line, such as a stand-in's "listening on <url>".
  }
  return { text };
}
