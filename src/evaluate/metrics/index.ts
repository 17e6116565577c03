export { rocCurve } from './roc.js';
export type { Label, RocCurve } from './roc.js';
export { rocAuc } from './auc.js';
export { partialAuc, partialAucMcClish } from './partial-auc.js';
export { youdenThreshold } from './youden.js';
export type { OperatingPoint } from './youden.js';
export {
  sectionScores,
  officialScore,
  harmonicMean,
  ALL_SECTIONS,
  type SectionClip,
  type SectionScores,
  type OfficialScore,
  type ScoreDomain,
} from './dcase.js';
