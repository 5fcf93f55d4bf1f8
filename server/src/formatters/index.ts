// The output formats of the CLI, by name. Adding a format is adding a row.
import { concise } from './concise';
import { github } from './github';
import { json } from './json';
import type { Formatter } from './report';
import { sarif } from './sarif';
import { stylish } from './stylish';

export const FORMATTERS: Readonly<Record<string, Formatter>> = { stylish, concise, json, sarif, github };

export const FORMAT_NAMES: readonly string[] = Object.keys(FORMATTERS);

export type { Counts, FileReport, FormatContext, Formatter, Notice } from './report';
export { countAll, countFile, displayPath } from './report';
