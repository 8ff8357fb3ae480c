#!/usr/bin/env node
// The bundled binary (dist/bundle/bin.js): the CLI from the code-cached runtime.
import { runtime } from './cached.js';

runtime().runBinary();
