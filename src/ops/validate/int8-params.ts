import type { Tensor } from '../../ir/index.js';
import type { OpView } from './op-view.js';

/**
 * Int8 constraints the kernels check when a model is prepared: the TFLite
 * runtime (tensorflow/lite/kernels/*.cc, kernel_util.cc) and TFLM
 * (tensorflow/lite/micro/kernels/*) refuse a model that breaks them, and the
 * reference interpreter here refuses it too. Reproducing them lets `emit`
 * refuse such a model before writing anything.
 */

/** Per-tensor params as the kernels read them: the scale rounded to float32 (TfLiteQuantizationParams.scale is a float). */
export function paramsOf(t: Tensor): { scale: number; zeroPoint: number } {
  return { scale: Math.fround(t.quant!.scale[0]!), zeroPoint: t.quant!.zeroPoint[0]! };
}

/**
 * Symmetric int8 weights (the TFLite int8 spec: zero point 0), one scale or
 * one per output channel along `axis`.
 */
export function checkWeights(v: OpView, slot: number, axis: number, channels: number): void {
  const w = v.input(slot);
  const q = w.quant;
  if (!q) return v.fail('QUANTIZATION', `int8 weights '${w.name}' have no quantisation params (scale, zero point)`);
  if (q.scale.length !== 1 && q.scale.length !== channels) {
    v.fail('QUANTIZATION', `weights '${w.name}' have ${q.scale.length} scales for ${channels} output channels; expected 1 or ${channels}`);
  }
  if (q.scale.length > 1 && q.axis !== axis) {
    v.fail('QUANTIZATION', `weights '${w.name}' are quantised along dimension ${q.axis}, but their output channels are dimension ${axis}`);
  }
  const k = q.zeroPoint.findIndex((z) => z !== 0);
  if (k >= 0) {
    v.fail(
      'QUANTIZATION',
      `weights '${w.name}' have zero point ${q.zeroPoint[k]} (channel ${k}); int8 weights are symmetric with zero point 0 (TFLite int8 ` +
        `spec)`,
    );
  }
}

/** Input and output share params: the kernel copies or clamps values without requantising. */
export function checkSameParams(v: OpView, tolerance: number, why: string): void {
  const input = v.input(0);
  const a = paramsOf(input);
  const b = paramsOf(v.output);
  if (Math.abs(a.scale - b.scale) > tolerance || a.zeroPoint !== b.zeroPoint) {
    v.fail(
      'QUANTIZATION',
      `input '${input.name}' (scale ${a.scale}, zero point ${a.zeroPoint}) and output '${v.output.name}' ` +
        `(scale ${b.scale}, zero point ${b.zeroPoint}) must share quantisation params: ${why}`,
      'quantise them as one group (tinypdm emit does), or re-export the model',
    );
  }
}

/** SOFTMAX and LOGISTIC: the int8 output is fixed at scale 1/256, zero point −128. */
export function checkFixedOutput(v: OpView): void {
  const { scale, zeroPoint } = paramsOf(v.output);
  if (scale !== 1 / 256 || zeroPoint !== -128) {
    v.fail(
      'QUANTIZATION',
      `int8 output '${v.output.name}' has scale ${scale} and zero point ${zeroPoint}; TFLM and TFLite need scale 1/256 and zero point -128`,
    );
  }
}

/**
 * FULLY_CONNECTED with per-tensor weights: the TFLite runtime
 * (kernel_util.cc, GetQuantizedConvolutionMultipler) refuses the op unless
 * |input_scale·weight_scale − bias_scale| / output_scale ≤ 0.02, where
 * bias_scale is the bias tensor's per-tensor ("legacy") scale. That scale is 0
 * when the bias carries more than one scale or none, so such a bias passes only
 * when input_scale·weight_scale / output_scale ≤ 0.02.
 */
export function checkFullyConnectedBiasScale(v: OpView, biasSlot: number): void {
  const w = v.input(1);
  if (!v.has(biasSlot) || (w.quant?.scale.length ?? 0) !== 1) return;
  const bias = v.input(biasSlot);
  const product = paramsOf(v.input(0)).scale * Math.fround(w.quant!.scale[0]!);
  const perTensor = bias.quant && bias.quant.scale.length === 1 && bias.quant.zeroPoint.length === 1;
  const biasScale = perTensor ? Math.fround(bias.quant!.scale[0]!) : 0;
  const outScale = paramsOf(v.output).scale;
  const ratio = Math.abs(product - biasScale) / outScale;
  if (!(ratio <= 0.02)) {
    const stored = bias.quant ? `${bias.quant.scale.length} scale(s)` : 'no quantisation params';
    v.fail(
      'QUANTIZATION',
      `bias '${bias.name}' has ${stored} (per-tensor scale ${biasScale}) but input scale × weight scale is ${product}; ` +
        `the TFLite runtime refuses the op when |difference| / output scale ${outScale} = ${ratio.toPrecision(3)} ` +
        'exceeds 0.02 (kernel_util.cc)',
      'give the bias one scale equal to input scale × weight scale (tinypdm emit does), or re-export the model',
    );
  }
}

/**
 * ADD (TFLM add_common.cc, TFLite add.cc): the output multiplier
 * 2·max(s_a, s_b) / (2^20·s_out) must be below 1, and above 0: TFLite's
 * add.cc computes `(1 << 20) * output scale` in float32, so an output scale
 * over about 3.2e32 overflows it to Infinity, the multiplier becomes 0 and
 * QuantizeMultiplierSmallerThanOneExp's check aborts the runtime (found by the
 * graph fuzz: scale 1e33 on an ADD's output).
 */
export function checkAddOutputScale(v: OpView): void {
  const a = paramsOf(v.input(0)).scale;
  const b = paramsOf(v.input(1)).scale;
  const out = paramsOf(v.output).scale;
  const shifted = Math.fround(2 ** 20 * out);
  if (!Number.isFinite(shifted)) {
    v.fail(
      'QUANTIZATION',
      `output scale ${out} is too large: the TFLite runtime computes 2^20 · output scale in float32 (add.cc), ` +
        'which overflows, and then aborts on the zero multiplier',
      'narrow the output range, or re-export the model',
    );
  }
  const real = (2 * Math.max(a, b)) / shifted;
  if (!(real < 1)) {
    v.fail(
      'QUANTIZATION',
      `output scale ${out} is too small for input scales ${a} and ${b}: the int8 kernel needs 2·max(input scales) / (2^20 · output ` +
        `scale) < 1, got ${real.toPrecision(3)}`,
      'widen the output range, or re-export the model',
    );
  }
}
