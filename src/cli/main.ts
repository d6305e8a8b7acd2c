#!/usr/bin/env node
import { describeError } from '../errors/index.js';
import { main } from './cli.js';

main(process.argv.slice(2), process.env).then(
  (code) => {
    // Exit explicitly: a client library's idle socket or timer must not keep a stopped daemon alive.
    process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`latigo: ${describeError(error)}\n`);
    process.exit(1);
  },
);
