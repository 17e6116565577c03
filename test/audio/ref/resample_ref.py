#!/usr/bin/python3
"""Independent numpy references for the float resampler tests.

For each case it writes two outputs (raw little-endian float64):
- <out>.kaiser.f64: resampy's windowed-sinc interpolation (kaiser_best of
  resampy <= 0.3: 64 zero crossings, 512 table entries per crossing, rolloff
  0.9475937167399596, Kaiser beta 14.769656459379492), written here from the
  algorithm's description with scipy's Kaiser window, vectorised over output
  samples; floor(len*to/from) samples padded with zeros to ceil(...) as librosa.
- <out>.poly.f64: scipy.signal.resample_poly (a different filter, for a
  tolerance check on in-band signals), cut or padded to the same length.

Usage: resample_ref.py cases.json   (list of {signal, out, from, to}).
"""
import json
import math
import sys

import numpy as np
import scipy.signal

NUM_ZEROS = 64
PER_CROSSING = 512
ROLLOFF = 0.9475937167399596
BETA = 14.769656459379492


def kaiser_best_half_window():
    n = NUM_ZEROS * PER_CROSSING
    taper = scipy.signal.get_window(('kaiser', BETA), 2 * n + 1, fftbins=False)[n:]
    return ROLLOFF * np.sinc(ROLLOFF * np.arange(n + 1) / PER_CROSSING) * taper


def resample_kaiser(x, sr_from, sr_to):
    ratio = sr_to / sr_from
    n_out = int(math.floor(len(x) * sr_to / sr_from))
    win = kaiser_best_half_window()
    scale = min(1.0, ratio)
    if ratio < 1:
        win = win * ratio
    delta = np.append(np.diff(win), 0.0)
    step = int(scale * PER_CROSSING)
    nwin = len(win)

    times = np.arange(n_out) * sr_from / sr_to
    base = np.floor(times).astype(np.int64)
    y = np.zeros(n_out)
    for side in ('left', 'right'):
        frac = scale * (times - base)
        if side == 'right':
            frac = scale - frac
        pos = frac * PER_CROSSING
        offset = np.floor(pos).astype(np.int64)
        eta = pos - offset
        for tap in range(nwin // step + 1):
            j = offset + tap * step
            src = base - tap if side == 'left' else base + tap + 1
            # resampy's bound: a tap is used only while a whole step still fits in
            # the table, i.e. tap < (nwin - offset) // step.
            ok = ((tap + 1) * step <= nwin - offset) & (src >= 0) & (src < len(x))
            if not ok.any():
                break
            jj = np.where(ok, j, 0)
            ss = np.where(ok, src, 0)
            y += np.where(ok, (win[jj] + eta * delta[jj]) * x[ss], 0.0)
    total = int(math.ceil(len(x) * sr_to / sr_from))
    return np.concatenate([y, np.zeros(total - n_out)])


def main():
    for case in json.load(open(sys.argv[1])):
        x = np.fromfile(case['signal'], dtype='<f8')
        sr_from, sr_to = int(case['from']), int(case['to'])
        y = resample_kaiser(x, sr_from, sr_to)
        y.astype('<f8').tofile(case['out'] + '.kaiser.f64')
        g = math.gcd(sr_from, sr_to)
        poly = scipy.signal.resample_poly(x, sr_to // g, sr_from // g)
        poly = np.concatenate([poly, np.zeros(max(0, len(y) - len(poly)))])[: len(y)]
        poly.astype('<f8').tofile(case['out'] + '.poly.f64')


if __name__ == '__main__':
    main()
