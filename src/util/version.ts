import { readFileSync } from 'node:fs';
import { packagePath } from './package-root.js';

/** The package version, stamped into flatbuffer descriptions and generated-file banners. */
export const VERSION: string = (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;

export const TOOL = `tinypdm ${VERSION}`;
