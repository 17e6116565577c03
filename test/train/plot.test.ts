import { describe, expect, it } from 'vitest';
import { renderLinePlot, renderRocPlot } from '../../src/evaluate/plot/index.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function pngSize(png: Uint8Array): { width: number; height: number } {
  // IHDR is the first chunk: width and height are big-endian at bytes 16 and 20.
  const v = new DataView(png.buffer, png.byteOffset, png.byteLength);
  expect(String.fromCharCode(...png.slice(12, 16))).toBe('IHDR');
  return { width: v.getUint32(16), height: v.getUint32(20) };
}

function svgSize(svg: string): { width: number; height: number } {
  const m = /^<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg);
  expect(m).not.toBeNull();
  return { width: Number(m![1]), height: Number(m![2]) };
}

describe('plots', () => {
  const curves = [
    { label: '24000 Hz', fpr: [0, 0, 0.5, 1], tpr: [0, 0.5, 1, 1], auc: 0.875 },
    { label: '375 Hz', fpr: [0, 0.5, 1], tpr: [0, 0.5, 1], auc: 0.5 },
  ];

  it('renders a ROC plot as SVG and PNG, identically twice', async () => {
    const a = await renderRocPlot(curves, 'ToyConveyor ROC');
    const b = await renderRocPlot(curves, 'ToyConveyor ROC');
    expect(a.svg).toBe(b.svg);
    expect(Buffer.compare(Buffer.from(a.png), Buffer.from(b.png))).toBe(0);

    expect(a.svg.startsWith('<svg')).toBe(true);
    expect(a.svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(a.svg).toContain('ToyConveyor ROC');
    expect(a.svg).toContain('24000 Hz (AUC 0.875)');
    expect(a.svg).toContain('375 Hz (AUC 0.500)');
    expect(a.svg).toContain('font-family="DejaVu Sans"');
    // The first curve on a 360x360 plot, in point order (the vertical step at FPR 0 kept).
    expect(a.svg).toContain('d="M0,360L0,180L180,0L360,0"');

    expect([...a.png.slice(0, 8)]).toEqual(PNG_SIGNATURE);
    const s = svgSize(a.svg);
    expect(pngSize(a.png)).toEqual({ width: 2 * s.width, height: 2 * s.height });
  });

  it('draws text into the PNG (a different title gives different pixels)', async () => {
    const a = await renderRocPlot(curves, 'Title A');
    const b = await renderRocPlot(curves, 'Title B');
    expect(Buffer.compare(Buffer.from(a.png), Buffer.from(b.png))).not.toBe(0);
  });

  it('renders a log-x line plot of AUC against sample rate', async () => {
    const rates = [375, 750, 1500, 3000, 6000, 12000, 24000];
    const auc = [0.483, 0.649, 0.766, 0.972, 0.993, 0.999, 1.0];
    const o = {
      title: 'AUC vs sample rate',
      xTitle: 'Sample rate (Hz)',
      yTitle: 'ROC AUC',
      series: [{ label: 'paper', x: rates, y: auc }],
      logX: true,
      yDomain: [0.4, 1] as [number, number],
      xTicks: rates,
    };
    const a = await renderLinePlot(o);
    expect(a.svg).toBe((await renderLinePlot(o)).svg);
    expect(a.svg).toContain('Sample rate (Hz)');
    // Tick labels of the swept rates in SI format.
    for (const t of ['375', '1.5k', '24k']) expect(a.svg).toContain(`>${t}</text>`);
    expect([...a.png.slice(0, 8)]).toEqual(PNG_SIGNATURE);
    await expect(renderLinePlot({ ...o, series: [{ label: 'bad', x: [0, 1], y: [1, 2] }] })).rejects.toThrow(/log x axis/);
  });
});
