#!/usr/bin/env node
import { runBinary } from './cli.js';

runBinary();
