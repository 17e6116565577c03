import { readFileSync } from 'node:fs';

/** The package version, stamped into flatbuffer descriptions and generated-file banners. */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export const TOOL = `tinypdm ${VERSION}`;
