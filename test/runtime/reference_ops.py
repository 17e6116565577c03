"""Independent float reference for the runtime tests, written from TensorFlow's
documented op semantics with numpy (not from our TypeScript).

Reads a JSON list of cases on stdin, writes a JSON list of flat float outputs.
Each case: {"op": ..., "inputs": [{"shape": [...], "data": [...]}, ...], "options": {...}}.
Weights follow the TFLite layouts: conv OHWI, depthwise 1HW(C*m), FC [units, depth],
transpose conv OHWI.
"""
import json
import math
import sys

import numpy as np


def arr(t):
    return np.asarray(t["data"], dtype=np.float64).reshape(t["shape"])


def same_pad(in_size, k, s, d):
    out = -(-in_size // s)
    eff = (k - 1) * d + 1
    total = max((out - 1) * s + eff - in_size, 0)
    return out, total // 2


def valid_out(in_size, k, s, d):
    eff = (k - 1) * d + 1
    return (in_size - eff) // s + 1


def axis_geom(padding, in_size, k, s, d=1):
    if padding == "SAME":
        return same_pad(in_size, k, s, d)
    return valid_out(in_size, k, s, d), 0


def activation(y, act):
    if act == "RELU":
        return np.maximum(y, 0)
    if act == "RELU6":
        return np.clip(y, 0, 6)
    if act == "RELU_N1_TO_1":
        return np.clip(y, -1, 1)
    return y


def conv(case, depthwise=False):
    o = case["options"]
    x = arr(case["inputs"][0])
    w = arr(case["inputs"][1])
    b = arr(case["inputs"][2]) if len(case["inputs"]) > 2 else None
    n, h, wd, c = x.shape
    kh, kw = w.shape[1], w.shape[2]
    oh, pt = axis_geom(o["padding"], h, kh, o["strideH"], o["dilationH"])
    ow, pl = axis_geom(o["padding"], wd, kw, o["strideW"], o["dilationW"])
    cout = w.shape[3] if depthwise else w.shape[0]
    y = np.zeros((n, oh, ow, cout))
    for oy in range(oh):
        for ox in range(ow):
            for ky in range(kh):
                iy = oy * o["strideH"] - pt + ky * o["dilationH"]
                if iy < 0 or iy >= h:
                    continue
                for kx in range(kw):
                    ix = ox * o["strideW"] - pl + kx * o["dilationW"]
                    if ix < 0 or ix >= wd:
                        continue
                    pix = x[:, iy, ix, :]  # [n, c]
                    if depthwise:
                        m = o["depthMultiplier"]
                        y[:, oy, ox, :] += np.repeat(pix, m, axis=1) * w[0, ky, kx, :]
                    else:
                        y[:, oy, ox, :] += pix @ w[:, ky, kx, :].T
    if b is not None:
        y += b
    return activation(y, o["activation"])


def transpose_conv(case):
    o = case["options"]
    out_shape = [int(v) for v in case["inputs"][0]["data"]]
    w = arr(case["inputs"][1])
    x = arr(case["inputs"][2])
    b = arr(case["inputs"][3]) if len(case["inputs"]) > 3 else None
    n, h, wd, c = x.shape
    cout, kh, kw, _ = w.shape
    _, oh, ow, _ = out_shape
    # conv2d_transpose is the adjoint of a conv2d from the output to the input;
    # that conv's padding (TF formula, output as its input) places the windows.
    pt = max((h - 1) * o["strideH"] + kh - oh, 0) // 2 if o["padding"] == "SAME" else 0
    pl = max((wd - 1) * o["strideW"] + kw - ow, 0) // 2 if o["padding"] == "SAME" else 0
    y = np.zeros(out_shape)
    for iy in range(h):
        for ix in range(wd):
            for ky in range(kh):
                oy = iy * o["strideH"] - pt + ky
                if oy < 0 or oy >= oh:
                    continue
                for kx in range(kw):
                    ox = ix * o["strideW"] - pl + kx
                    if ox < 0 or ox >= ow:
                        continue
                    y[:, oy, ox, :] += x[:, iy, ix, :] @ w[:, ky, kx, :].T
    if b is not None:
        y += b
    return activation(y, o["activation"])


def pool(case, kind):
    o = case["options"]
    x = arr(case["inputs"][0])
    n, h, wd, c = x.shape
    oh, pt = axis_geom(o["padding"], h, o["filterH"], o["strideH"])
    ow, pl = axis_geom(o["padding"], wd, o["filterW"], o["strideW"])
    y = np.zeros((n, oh, ow, c))
    for oy in range(oh):
        for ox in range(ow):
            y0, x0 = oy * o["strideH"] - pt, ox * o["strideW"] - pl
            win = x[:, max(0, y0):min(h, y0 + o["filterH"]), max(0, x0):min(wd, x0 + o["filterW"]), :]
            y[:, oy, ox, :] = win.max(axis=(1, 2)) if kind == "max" else win.mean(axis=(1, 2))
    return activation(y, o["activation"])


def fully_connected(case):
    o = case["options"]
    x = arr(case["inputs"][0])
    w = arr(case["inputs"][1])
    y = x.reshape(-1, w.shape[1]) @ w.T
    if len(case["inputs"]) > 2:
        y += arr(case["inputs"][2])
    return activation(y, o["activation"])


def resize_nearest(case):
    o = case["options"]
    x = arr(case["inputs"][0])
    oh, ow = [int(v) for v in case["inputs"][1]["data"]]
    n, h, wd, c = x.shape

    def src(i, insz, outsz):
        if o["alignCorners"] and outsz > 1:
            # TF: align_corners maps corner centres; nearest rounds half away from zero.
            v = i * (insz - 1) / (outsz - 1)
            idx = int(math.floor(v + 0.5))
        elif o["halfPixelCenters"]:
            idx = int(math.floor((i + 0.5) * insz / outsz))
        else:
            idx = int(math.floor(i * insz / outsz))
        return max(0, min(idx, insz - 1))

    ys = [src(i, h, oh) for i in range(oh)]
    xs = [src(i, wd, ow) for i in range(ow)]
    return x[:, ys][:, :, xs]


def main():
    cases = json.load(sys.stdin)
    out = []
    for case in cases:
        op = case["op"]
        ins = case["inputs"]
        o = case.get("options", {})
        if op == "CONV_2D":
            y = conv(case)
        elif op == "DEPTHWISE_CONV_2D":
            y = conv(case, depthwise=True)
        elif op == "TRANSPOSE_CONV":
            y = transpose_conv(case)
        elif op == "FULLY_CONNECTED":
            y = fully_connected(case)
        elif op == "MAX_POOL_2D":
            y = pool(case, "max")
        elif op == "AVERAGE_POOL_2D":
            y = pool(case, "avg")
        elif op == "MEAN":
            axes = tuple(int(a) for a in ins[1]["data"])
            y = arr(ins[0]).mean(axis=axes, keepdims=o["keepDims"])
        elif op == "RESIZE_NEAREST_NEIGHBOR":
            y = resize_nearest(case)
        elif op == "PAD":
            p = np.asarray(ins[1]["data"], dtype=int).reshape(-1, 2)
            y = np.pad(arr(ins[0]), p)
        elif op == "ADD":
            y = activation(arr(ins[0]) + arr(ins[1]), o["activation"])
        elif op == "CONCATENATION":
            y = np.concatenate([arr(t) for t in ins], axis=o["axis"])
        elif op == "RESHAPE":
            y = arr(ins[0])
        elif op == "SOFTMAX":
            x = arr(ins[0]) * o["beta"]
            e = np.exp(x - x.max(axis=-1, keepdims=True))
            y = e / e.sum(axis=-1, keepdims=True)
        elif op in ("RELU", "RELU6"):
            y = activation(arr(ins[0]), op)
        elif op == "LEAKY_RELU":
            x = arr(ins[0])
            y = np.where(x > 0, x, x * o["alpha"])
        elif op == "LOGISTIC":
            y = 1 / (1 + np.exp(-arr(ins[0])))
        elif op in ("QUANTIZE", "DEQUANTIZE"):
            y = arr(ins[0])
        else:
            raise SystemExit("no reference for " + op)
        out.append([float(v) for v in np.asarray(y).ravel()])
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
