/**
 * `npm run demo`: the whole chain on the bundled synthetic dataset, through
 * the real CLI — synth → train (6000 Hz, device features) → eval (float and
 * int8) → emit a Nano 33 BLE Sense sketch → verify against TFLite.
 * Everything lands in demo-out/ (or the folder given as the first argument).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';

const out = path.resolve(process.argv[2] ?? 'demo-out');
const bin = path.resolve(import.meta.dirname, '../bin/tinypdm.js');
const rate = '6000';
const data = path.join(out, 'data');
const run = path.join(out, 'run');
const firmware = path.join(out, 'firmware');

async function tinypdm(step: string, args: string[]): Promise<void> {
  process.stdout.write(`\n── ${step}: tinypdm ${args.join(' ')}\n`);
  const t0 = performance.now();
  await execa(process.execPath, [bin, ...args], { stdio: 'inherit' });
  process.stdout.write(`   (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
}

const t0 = performance.now();
await tinypdm('1/5 synthesise a conveyor dataset', ['synth', '--out', data]);
await tinypdm('2/5 train the paper autoencoder on device features', [
  'train',
  '--data',
  data,
  '--rate',
  rate,
  '--out',
  run,
  '--epochs',
  '30',
]);
await tinypdm('3/5 evaluate float and int8', ['eval', '--run', run, '--data', data]);
await tinypdm('4/5 emit int8 TFLite, C array and the Nano 33 BLE Sense sketch', [
  'emit',
  path.join(run, 'model.json'),
  '--board',
  'nano33ble',
  '--out',
  firmware,
]);
await tinypdm('5/5 verify against the real TFLite runtime', [
  'verify',
  path.join(firmware, 'model.tflite'),
  '--calib',
  path.join(run, 'calib.npy'),
]);

const evalJson = JSON.parse(await readFile(path.join(run, 'eval', 'eval.json'), 'utf8')) as Record<string, unknown>;
const auc = (k: string) => {
  const v = (evalJson as Record<string, { auc?: number } | undefined>)[k]?.auc;
  return typeof v === 'number' ? v.toFixed(3) : '?';
};
process.stdout.write(
  `\nDone in ${((performance.now() - t0) / 1000 / 60).toFixed(1)} min.\n` +
    `  dataset   ${data}\n` +
    `  run       ${run} (model.json, tinypdm.json, calib.npy)\n` +
    `  eval      ${path.join(run, 'eval')} (eval.md, roc.png) — ROC AUC float ${auc('float')}, int8 ${auc('int8')}\n` +
    `  firmware  ${firmware} (model.tflite, report.md, tinypdm_detector/ sketch)\n` +
    `Build and flash with: npx tinypdm build ${path.join(firmware, 'tinypdm_detector')} && npx tinypdm upload ${path.join(firmware, 'tinypdm_detector')} --port /dev/ttyACM0\n`,
);
