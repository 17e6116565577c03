/** Dataset layouts as users have them (tinypdm, DCASE Task 2, MIMII, ToyADMOS), one description, and a run's split of it. */
export { readDataset, detectLayout } from './read.js';
export { planSplit, DATASET_VAL_FRACTION, type PlannedSplit } from './plan.js';
export { runDatasetOf, readRunDataset, runTestClips, testClipsOf, requireLabels, sectionsOf } from './run-dataset.js';
export { parseDcaseName, parseAttributes, type DcaseName } from './dcase-names.js';
export { readGroundTruth, applyGroundTruth, type GroundTruth } from './ground-truth.js';
export {
  DATASET_LAYOUTS,
  DOMAINS,
  type DatasetLayout,
  type DatasetClip,
  type DatasetDescription,
  type DatasetOptions,
  type ClipLabel,
  type Domain,
} from './types.js';
