#!/usr/bin/python3
"""Independent numpy reference for the float Mel front-end tests.

Written from librosa 0.9.2's documented semantics (not from librosa's code and
not from ours): center=True with n_fft//2 zeros on both sides, periodic Hann,
|rfft|^2, Slaney mel scale with Slaney area normalisation, 10*log10(max(amin, S)),
then a top_db floor at (max - top_db) over the whole array.

Usage: mel_ref.py cases.json
cases.json is a list of {signal, out, sr, nFft, hop, nMels, fmin, fmax, topDb};
`signal` is raw little-endian float64. For each case it writes raw float64
<out>.filters.f64 [n_mels, 1+n_fft//2], <out>.power.f64 and <out>.db.f64
[n_mels, n_frames] (or [n_windows, n_mels, W] when the case has
windowFrames/hopFrames), and prints the shapes as JSON on stdout.
"""
import json
import sys

import numpy as np


def hz_to_mel(hz):
    hz = np.asanyarray(hz, dtype=np.float64)
    f_sp = 200.0 / 3
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(hz >= min_log_hz, min_log_mel + np.log(np.maximum(hz, 1e-300) / min_log_hz) / logstep, hz / f_sp)


def mel_to_hz(mel):
    mel = np.asanyarray(mel, dtype=np.float64)
    f_sp = 200.0 / 3
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(mel >= min_log_mel, min_log_hz * np.exp(logstep * (mel - min_log_mel)), f_sp * mel)


def mel_filters(sr, n_fft, n_mels, fmin, fmax):
    fft_freqs = np.fft.rfftfreq(n_fft, d=1.0 / sr)
    edges = mel_to_hz(np.linspace(hz_to_mel(fmin), hz_to_mel(fmax), n_mels + 2))
    weights = np.zeros((n_mels, len(fft_freqs)))
    for m in range(n_mels):
        left, centre, right = edges[m], edges[m + 1], edges[m + 2]
        rising = (fft_freqs - left) / (centre - left)
        falling = (right - fft_freqs) / (right - centre)
        weights[m] = np.maximum(0.0, np.minimum(rising, falling)) * (2.0 / (right - left))
    return weights


def power_spectrogram(y, n_fft, hop):
    pad = n_fft // 2
    padded = np.concatenate([np.zeros(pad), y, np.zeros(pad)])
    n_frames = 1 + (len(padded) - n_fft) // hop
    idx = np.arange(n_fft)[None, :] + hop * np.arange(n_frames)[:, None]
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n_fft) / n_fft)
    spectrum = np.fft.rfft(padded[idx] * window[None, :], axis=1)
    return (np.abs(spectrum) ** 2).T  # [bin, frame]


def main():
    cases = json.load(open(sys.argv[1]))
    shapes = []
    for case in cases:
        y = np.fromfile(case['signal'], dtype='<f8')
        sr, n_fft, hop, n_mels = float(case['sr']), int(case['nFft']), int(case['hop']), int(case['nMels'])
        filters = mel_filters(sr, n_fft, n_mels, float(case['fmin']), float(case['fmax']))
        power = filters @ power_spectrogram(y, n_fft, hop)
        db = 10.0 * np.log10(np.maximum(1e-10, power))
        if 'windowFrames' in case:
            # Per-window scope: each window of W frames, every H frames, floored at its own max - top_db.
            w, h = int(case['windowFrames']), int(case['hopFrames'])
            starts = range(0, db.shape[1] - w + 1, h)
            db = np.stack([db[:, s:s + w] for s in starts]) if len(starts) else np.zeros((0, n_mels, w))
            for win in db:
                np.maximum(win, win.max() - float(case['topDb']), out=win)
        else:
            db = np.maximum(db, db.max() - float(case['topDb']))
        filters.astype('<f8').tofile(case['out'] + '.filters.f64')
        power.astype('<f8').tofile(case['out'] + '.power.f64')
        db.astype('<f8').tofile(case['out'] + '.db.f64')
        shapes.append({'nBins': filters.shape[1], 'nFrames': power.shape[1]})
    json.dump(shapes, sys.stdout)


if __name__ == '__main__':
    main()
