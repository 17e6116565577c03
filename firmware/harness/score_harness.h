/*
 * Test harness for the device's scoring (firmware/core/window_score.c and
 * clip_score.c), shared by the host and the Cortex-M4 (QEMU) builds. Not part
 * of the product firmware.
 *
 * Input file (little-endian): uint32 count, rank, windows, pool method,
 * permille, capacity; float32 input scale, int32 input zero point, float32
 * output scale, int32 output zero point; float32 mean[count],
 * inv_std[count], basis[rank·count], coef[rank], inv_resid; then per window
 * int8 input[count] and int8 output[count].
 *
 * Output: one line per window with the float32 bits (hex) of its MSE score
 * (anomaly_score.c), its Mahalanobis-style score and the pooled score of the
 * latter, then a summary line.
 */
#ifndef TP_SCORE_HARNESS_H
#define TP_SCORE_HARNESS_H

int tp_score_harness_run(const char *in_path);

#endif
