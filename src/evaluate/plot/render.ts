import { Resvg } from '@resvg/resvg-js';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { PLOT_FONT_FAMILY, plotFontFile } from './fonts.js';

export interface RenderedPlot {
  svg: string;
  png: Uint8Array;
}

/** Shared look: one font everywhere, white background, no tooltips or actions. */
export const PLOT_CONFIG = {
  font: PLOT_FONT_FAMILY,
  background: 'white',
  view: { stroke: '#888' },
  axis: { labelFont: PLOT_FONT_FAMILY, titleFont: PLOT_FONT_FAMILY, grid: true, gridColor: '#e6e6e6' },
  legend: { labelFont: PLOT_FONT_FAMILY, titleFont: PLOT_FONT_FAMILY, labelLimit: 400 },
  title: { font: PLOT_FONT_FAMILY, fontSize: 14 },
} as const;

/**
 * Vega-Lite spec -> SVG (vega's headless string renderer, no canvas, text
 * widths estimated, so no native dependency) -> PNG (resvg, 2x scale for
 * legibility). Deterministic: no timestamps or random ids enter the output.
 */
export async function renderVegaLite(spec: TopLevelSpec): Promise<RenderedPlot> {
  const vgSpec = compile(spec).spec;
  const view = new View(parse(vgSpec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const png = new Resvg(svg, {
      fitTo: { mode: 'zoom', value: 2 },
      font: { loadSystemFonts: false, fontFiles: [plotFontFile()], defaultFontFamily: PLOT_FONT_FAMILY },
    })
      .render()
      .asPng();
    return { svg, png: new Uint8Array(png) };
  } finally {
    view.finalize();
  }
}
