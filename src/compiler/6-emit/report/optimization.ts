import { renderCompressionMarkdown, type CompressionReport } from './compression.js';

/**
 * The "Optimisation" part of report.json / report.md: what the passes did
 * (per layer: sparsity, distinct values per channel, MACs, raw and gzip
 * bytes), the whole model against the plain int8 model of the same source
 * and calibration, and, with --eval-data, the AUC before and after.
 */
/** ROC AUC before and after the optimisation passes, on the run's test split (computed by the caller: see evaluate/compare-auc.ts). */
export interface AucComparison {
  clips: { normal: number; anomaly: number };
  windows: number;
  /** The source model: float, and int8 quantised as plain emit does it. */
  original: { float: number; int8: number };
  /** After the optimisation passes: float (model_float.tflite) and int8 (model.tflite). */
  optimized: { float: number; int8: number };
  /** original.int8 − optimized.int8: what the optimisation costs on the device. */
  lossVsInt8: number;
  /** original.float − optimized.int8. */
  lossVsFloat: number;
}

export interface OptimizationReport {
  passes: string[];
  compression: CompressionReport;
  /** The plain int8 model (no passes), for the ratios. */
  baseline: { macs: number; flatbufferBytes: number; flatbufferGzipBytes: number };
  ratios: { macs: number; flatbufferBytes: number; flatbufferGzipBytes: number };
  auc?: AucComparison;
}

export function optimizationReport(
  passes: string[],
  compression: CompressionReport,
  baseline: CompressionReport,
  auc?: AucComparison,
): OptimizationReport {
  const b = {
    macs: baseline.totals.macs,
    flatbufferBytes: baseline.totals.flatbufferBytes!,
    flatbufferGzipBytes: baseline.totals.flatbufferGzipBytes!,
  };
  const t = compression.totals;
  return {
    passes,
    compression,
    baseline: b,
    ratios: {
      macs: t.macs / b.macs,
      flatbufferBytes: t.flatbufferBytes! / b.flatbufferBytes,
      flatbufferGzipBytes: t.flatbufferGzipBytes! / b.flatbufferGzipBytes,
    },
    ...(auc ? { auc } : {}),
  };
}

export function renderOptimizationMarkdown(o: OptimizationReport): string {
  const t = o.compression.totals;
  const int = (n: number) => n.toLocaleString('en-US');
  const x = (r: number) => `${r.toFixed(3)}×`;
  const f = (a: number) => a.toFixed(4);
  const lines = [
    '## Optimisation',
    '',
    `Passes: ${o.passes.length > 0 ? o.passes.join(' → ') : 'none'} → int8.`,
    '',
    renderCompressionMarkdown(o.compression).trimEnd(),
    '',
    '| Whole model | Plain int8 | Optimised | Ratio |',
    '| --- | ---: | ---: | ---: |',
    `| MACs | ${int(o.baseline.macs)} | ${int(t.macs)} | ${x(o.ratios.macs)} |`,
    `| Flatbuffer bytes | ${int(o.baseline.flatbufferBytes)} | ${int(t.flatbufferBytes!)} | ${x(o.ratios.flatbufferBytes)} |`,
    `| Flatbuffer gzip bytes | ${int(o.baseline.flatbufferGzipBytes)} | ${int(t.flatbufferGzipBytes!)} | ${x(o.ratios.flatbufferGzipBytes)} |`,
  ];
  if (o.auc) {
    const a = o.auc;
    lines.push(
      '',
      `ROC AUC on the run's test split (${a.clips.normal} normal / ${a.clips.anomaly} anomalous clips, ${a.windows} windows; clip = mean window MSE, as \`tinypdm eval\`):`,
      '',
      '| Model | float | int8 |',
      '| --- | ---: | ---: |',
      `| original | ${f(a.original.float)} | ${f(a.original.int8)} |`,
      `| optimised | ${f(a.optimized.float)} | ${f(a.optimized.int8)} |`,
      '',
      `AUC loss of the optimised int8 model: ${f(a.lossVsInt8)} against the plain int8 model, ${f(a.lossVsFloat)} against the original float model.`,
    );
  }
  lines.push('');
  return lines.join('\n');
}
