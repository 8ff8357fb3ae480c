#!/usr/bin/env node
import { hideBin } from 'yargs/helpers';
import { main } from './cli.js';

main(hideBin(process.argv)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`ERROR! ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
