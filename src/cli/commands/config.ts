import yaml from 'js-yaml';

import { loadExecutorConfig, loadSchedulerConfig } from '../../config/resolve.js';
import { redactConfig } from '../../config/redact.js';
import { createDefaultRegistry } from '../../registry/default-registry.js';
import { parseCommandArgs, roleArgument } from '../args.js';
import type { CliCommand } from '../command.js';

const USAGE = `Usage: latigo config scheduler|executor [--config FILE]

Validates a configuration (defaults from deploy/, the overlay from --config or the
LATIGO_*_CONFIG_FILE variable, \${NAME} from the environment) and prints the merged result in
the keys you write, every secret redacted. Exits 2 with every problem listed when it is invalid.`;

export const configCommand: CliCommand = {
  name: 'config',
  summary: 'validate a configuration and print it resolved, secrets redacted',
  usage: USAGE,
  run(args, context) {
    const { values, positionals } = parseCommandArgs(
      'config',
      args,
      { config: { type: 'string' } },
      true,
    );
    if (values.help === true) {
      context.out.write(`${USAGE}\n`);
      return Promise.resolve(0);
    }
    const role = roleArgument('config', positionals);
    const registry = createDefaultRegistry();
    const options = { overlayFile: values.config, environment: context.environment };
    const config =
      role === 'scheduler'
        ? loadSchedulerConfig(registry, options)
        : loadExecutorConfig(registry, options);
    context.out.write(`# files: ${config.files.join(', ')}\n`);
    context.out.write(yaml.dump(redactConfig(config.merged), { lineWidth: 100 }));
    return Promise.resolve(0);
  },
};
