import type { TopLevelSpec } from 'vega-lite';
import { fail } from '../../util/index.js';
import { PLOT_CONFIG, renderVegaLite, type RenderedPlot } from './render.js';

export interface RocPlotCurve {
  label: string;
  fpr: number[];
  tpr: number[];
  auc: number;
}

/**
 * ROC curves (one colour per curve, legend shows the AUC) over the chance
 * diagonal. Points are drawn in the given order, which keeps the vertical
 * steps of an empirical ROC curve (a plain x-sorted line would not).
 */
export async function renderRocPlot(curves: RocPlotCurve[], title: string): Promise<RenderedPlot> {
  if (curves.length === 0) fail('BAD_ARGUMENT', `ROC plot "${title}" has no curves; pass at least one`);
  const values = curves.flatMap((c) => {
    if (c.fpr.length !== c.tpr.length || c.fpr.length < 2) {
      fail(
        'BAD_ARGUMENT',
        `ROC curve "${c.label}" has ${c.fpr.length} FPR and ${c.tpr.length} TPR values; both need the same length, at least 2`,
      );
    }
    const series = `${c.label} (AUC ${c.auc.toFixed(3)})`;
    return c.fpr.map((fpr, order) => ({ series, fpr, tpr: c.tpr[order]!, order }));
  });
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 360,
    height: 360,
    config: PLOT_CONFIG,
    layer: [
      {
        data: {
          values: [
            { x: 0, y: 0 },
            { x: 1, y: 1 },
          ],
        },
        mark: { type: 'line', strokeDash: [4, 4], color: '#999', strokeWidth: 1 },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { field: 'y', type: 'quantitative' },
        },
      },
      {
        data: { values },
        mark: { type: 'line', strokeWidth: 2, interpolate: 'linear' },
        encoding: {
          x: { field: 'fpr', type: 'quantitative', title: 'False positive rate', scale: { domain: [0, 1] } },
          y: { field: 'tpr', type: 'quantitative', title: 'True positive rate', scale: { domain: [0, 1] } },
          color: { field: 'series', type: 'nominal', title: null, sort: null, legend: { orient: 'bottom-right' } },
          order: { field: 'order', type: 'quantitative' },
        },
      },
    ],
  };
  return renderVegaLite(spec);
}
