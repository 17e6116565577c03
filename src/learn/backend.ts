import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

/**
 * Picks the fastest TF.js backend available here:
 *  1. `@tensorflow/tfjs-node` when a user has installed it (it cannot install
 *     on machines without internet, so it is optional and loaded dynamically);
 *  2. otherwise `wasm`, plus our own Conv2DBackpropFilter kernel, which wasm
 *     lacks (without it, `model.fit` on conv layers throws).
 * The cpu backend is never chosen silently: it is ~100x slower for training.
 */
export interface BackendInfo {
  name: 'tensorflow' | 'wasm';
  note: string;
}

let ready: Promise<BackendInfo> | undefined;

export function initBackend(): Promise<BackendInfo> {
  ready ??= pickBackend();
  return ready;
}

async function pickBackend(): Promise<BackendInfo> {
  if (process.env.TINYPDM_BACKEND !== 'wasm') {
    try {
      const nodeBackend = '@tensorflow/tfjs-node';
      await import(nodeBackend);
      await tf.setBackend('tensorflow');
      return { name: 'tensorflow', note: 'tfjs-node (native TensorFlow)' };
    } catch {
      // Not installed: fall through to wasm.
    }
  }
  const require = createRequire(import.meta.url);
  const wasmDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  setWasmPaths(wasmDir + path.sep);
  registerWasmConv2DBackpropFilter();
  await tf.setBackend('wasm');
  registerWasmConv2DBackpropInput();
  await tf.ready();
  return { name: 'wasm', note: 'wasm (install @tensorflow/tfjs-node for native speed)' };
}

type PadAttr = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];

/**
 * dW[kh,kw,ci,co] = sum over n,oh,ow of x[n, oh*s + kh*d - padTop, ow*s + kw*d - padLeft, ci] * dy[n,oh,ow,co].
 * With x transposed to [Cin, H, W, N] as the "image" and dy to [Ho, Wo, N, Cout]
 * as the "filter", that sum is a VALID conv2d: the forward stride becomes the
 * filter dilation, and the forward dilation becomes the stride. Only wasm's
 * own forward ops run, so the result matches the cpu backend to float rounding.
 */
function registerWasmConv2DBackpropFilter(): void {
  const kernelName = 'Conv2DBackpropFilter';
  if (tf.getKernel(kernelName, 'wasm')) return;
  tf.registerKernel({
    kernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs }) => {
      const { x, dy } = inputs as unknown as { x: tf.Tensor4D; dy: tf.Tensor4D };
      const a = attrs as unknown as {
        strides: number | [number, number];
        pad: PadAttr;
        dataFormat: string;
        dilations?: number | [number, number];
        filterShape: [number, number, number, number];
      };
      if (a.dataFormat && a.dataFormat !== 'NHWC') {
        throw new Error(`Conv2DBackpropFilter on wasm supports NHWC only, got ${a.dataFormat}`);
      }
      const [sh, sw] = pair(a.strides);
      const [dh, dw] = pair(a.dilations ?? 1);
      const [kh, kw] = a.filterShape;
      return tf.tidy(() => {
        const [, h, w] = x.shape;
        const [, ho, wo] = dy.shape;
        const pads = explicitPads(a.pad, h, w, ho, wo, sh, sw, kh, kw, dh, dw);
        const xp = tf.pad(x, [[0, 0], pads[0], pads[1], [0, 0]]);
        const image = tf.transpose(xp, [3, 1, 2, 0]);
        const filter = tf.transpose(dy, [1, 2, 0, 3]);
        const g = tf.conv2d(image, filter, [dh, dw], 'valid', 'NHWC', [sh, sw]);
        const cropped = g.slice([0, 0, 0, 0], [g.shape[0], kh, kw, g.shape[3]]);
        return tf.transpose(cropped, [1, 2, 0, 3]);
      });
    },
  });
}

/**
 * wasm's own Conv2DBackpropInput is a plain loop (no XNNPACK) and takes half
 * of a training step of the paper autoencoder. For stride 1 and dilation 1 the
 * input gradient is a forward convolution (XNNPACK), which is 2–3× faster:
 * dx[ih] = Σ dy[ih − ky + padTop]·W[ky] is a 'valid' conv2d of dy padded by
 * kh − 1 − padTop above and H − Ho + padTop below (likewise for the width),
 * with the filter flipped in both spatial axes and its channels swapped.
 * Other strides, dilations and layouts keep the stock kernel. Matches the cpu
 * backend to float rounding (test/train/backend.test.ts).
 */
let stockBackpropInput: tf.KernelConfig | undefined;

/** Benchmarks only (bench/train-speed.ts): switch between the stock wasm Conv2DBackpropInput and ours, to measure the difference. */
export function useStockConv2DBackpropInput(stock: boolean): void {
  const name = 'Conv2DBackpropInput';
  if (!stockBackpropInput) return;
  const current = tf.getKernel(name, 'wasm') as (tf.KernelConfig & { tinypdm?: boolean }) | undefined;
  if (!!current?.tinypdm === !stock) return;
  tf.unregisterKernel(name, 'wasm');
  if (stock) tf.registerKernel(stockBackpropInput);
  else registerWasmConv2DBackpropInput();
}

function registerWasmConv2DBackpropInput(): void {
  const kernelName = 'Conv2DBackpropInput';
  const stock = stockBackpropInput ?? tf.getKernel(kernelName, 'wasm');
  if (!stock || (stock as { tinypdm?: boolean }).tinypdm) return;
  stockBackpropInput = stock;
  if (tf.getKernel(kernelName, 'wasm')) tf.unregisterKernel(kernelName, 'wasm');
  const config: tf.KernelConfig & { tinypdm: boolean } = {
    kernelName,
    backendName: 'wasm',
    tinypdm: true,
    kernelFunc: (args) => {
      const { inputs, attrs } = args;
      const { dy, filter } = inputs as unknown as { dy: tf.Tensor4D; filter: tf.Tensor4D };
      const a = attrs as unknown as {
        strides: number | [number, number];
        pad: PadAttr;
        dataFormat?: string;
        dilations?: number | [number, number];
        inputShape: [number, number, number, number];
      };
      const [sh, sw] = pair(a.strides);
      const [dh, dw] = pair(a.dilations ?? 1);
      if (sh !== 1 || sw !== 1 || dh !== 1 || dw !== 1 || (a.dataFormat && a.dataFormat !== 'NHWC')) return stock.kernelFunc(args);
      const [, h, w] = a.inputShape;
      const [kh, kw] = filter.shape;
      const [, ho, wo] = dy.shape;
      const [[top], [left]] = explicitPads(a.pad, h, w, ho, wo, 1, 1, kh, kw, 1, 1);
      return tf.tidy(() => {
        const dyp = tf.pad(dy, [
          [0, 0],
          [kh - 1 - top, h - ho + top],
          [kw - 1 - left, w - wo + left],
          [0, 0],
        ]);
        const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]);
        return tf.conv2d(dyp, flipped, 1, 'valid');
      });
    },
  };
  tf.registerKernel(config);
}

function pair(v: number | [number, number]): [number, number] {
  return typeof v === 'number' ? [v, v] : v;
}

function explicitPads(
  pad: PadAttr,
  h: number,
  w: number,
  ho: number,
  wo: number,
  sh: number,
  sw: number,
  kh: number,
  kw: number,
  dh: number,
  dw: number,
): [[number, number], [number, number]] {
  if (Array.isArray(pad)) return [pad[1], pad[2]];
  if (typeof pad === 'number')
    return [
      [pad, pad],
      [pad, pad],
    ];
  if (pad === 'valid')
    return [
      [0, 0],
      [0, 0],
    ];
  const totalH = Math.max(0, (ho - 1) * sh + (kh - 1) * dh + 1 - h);
  const totalW = Math.max(0, (wo - 1) * sw + (kw - 1) * dw + 1 - w);
  const top = Math.floor(totalH / 2);
  const left = Math.floor(totalW / 2);
  return [
    [top, totalH - top],
    [left, totalW - left],
  ];
}
