import type { CliCommand } from '../command.js';
import { standinCommands } from '../standins.js';

function usage(): string {
  const lines = standinCommands().map(
    (command) => `  ${command.name.padEnd(18)}${command.summary}`,
  );
  return `Usage: latigo standin <service> [options]

Starts a local stand-in of an external service on 127.0.0.1, speaking its wire contract, for
tests, benchmarks and docker compose. Services:
${lines.join('\n')}

latigo standin <service> --help shows the options of one service.`;
}

export const standinCommand: CliCommand = {
  name: 'standin',
  summary:
    'start a local stand-in of Gordo, the Time Series API, the metadata API or the token endpoint',
  get usage() {
    return usage();
  },
  async run(args, context) {
    const [service, ...rest] = args;
    const command = standinCommands().find((candidate) => candidate.name === service);
    if (command === undefined) {
      const asked = service === '--help' || service === '-h';
      if (!asked) {
        context.out.write(
          service === undefined
            ? 'latigo standin: name the service to start\n\n'
            : `latigo standin: unknown service "${service}"\n\n`,
        );
      }
      context.out.write(`${usage()}\n`);
      return asked ? 0 : 2;
    }
    return command.run(rest, context);
  },
};
