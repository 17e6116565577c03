import type { TopLevelSpec } from 'vega-lite';
import { fail } from '../../util/index.js';
import { PLOT_CONFIG, renderVegaLite, type RenderedPlot } from './render.js';

export interface LineSeries {
  label: string;
  x: number[];
  y: number[];
}

export interface LinePlotOptions {
  title: string;
  xTitle: string;
  yTitle: string;
  series: LineSeries[];
  /** Log-scaled x axis (e.g. AUC against sample rate, 375..24000 Hz). */
  logX?: boolean;
  yDomain?: [number, number];
  /** Explicit x tick values, e.g. the swept rates, so a log axis shows them all. */
  xTicks?: number[];
}

/** A generic multi-series line plot with point markers (used for the sample-rate sweep). */
export async function renderLinePlot(o: LinePlotOptions): Promise<RenderedPlot> {
  if (o.series.length === 0) fail('BAD_ARGUMENT', `line plot "${o.title}" has no series; pass at least one`);
  const values = o.series.flatMap((s) => {
    if (s.x.length !== s.y.length || s.x.length === 0) {
      fail(
        'BAD_ARGUMENT',
        `series "${s.label}" of plot "${o.title}" has ${s.x.length} x and ${s.y.length} y values; both need the same, non-zero length`,
      );
    }
    if (o.logX && s.x.some((x) => !(x > 0)))
      fail('BAD_ARGUMENT', `series "${s.label}" has x <= 0, which a log x axis cannot show; use logX: false`);
    return s.x.map((x, i) => ({ series: s.label, x, y: s.y[i]! }));
  });
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: o.title,
    width: 420,
    height: 300,
    config: PLOT_CONFIG,
    data: { values },
    mark: { type: 'line', point: true, strokeWidth: 2 },
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        title: o.xTitle,
        // nice: false keeps a log axis from padding out to whole decades.
        scale: o.logX ? { type: 'log', nice: false, padding: 12 } : { zero: false },
        ...(o.xTicks ? { axis: { values: o.xTicks, format: '~s' } } : {}),
      },
      y: { field: 'y', type: 'quantitative', title: o.yTitle, scale: o.yDomain ? { domain: o.yDomain } : { zero: false } },
      color: { field: 'series', type: 'nominal', title: null, sort: null, legend: o.series.length > 1 ? { orient: 'bottom-right' } : null },
    },
  };
  return renderVegaLite(spec);
}
