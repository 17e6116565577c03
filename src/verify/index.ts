export { verifyModel, type VerifyOptions, type VerifyReport } from './verify.js';
