#!/usr/bin/env node
// Regenerates the configuration reference in README.md from the zod schema (npm run docs:config).
// Needs a build (dist/). The unit test test/unit/readme.test.ts fails when README.md is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { configReference } from '../dist/core/config/configReference.js';

const START = '<!-- config-reference:start -->';
const END = '<!-- config-reference:end -->';
const readme = readFileSync('README.md', 'utf8');
const [before, rest] = readme.split(START);
const after = rest?.split(END)[1];
if (before === undefined || after === undefined) throw new Error('README.md lacks the config-reference markers');
writeFileSync('README.md', `${before}${START}\n${configReference()}${END}${after}`);
