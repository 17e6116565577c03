/** TypeScript twins of the firmware's anomaly score and detector (bit-exact with firmware/core). */
export { deviceAnomalyScore, type DeviceQuant } from './anomaly-score.js';
