export { buildSketch, uploadSketch, sketchFqbn, checkTflmLibrary, parseLibList } from './build.js';
export { compileArgs, uploadArgs } from './commands.js';
export { parseCompileJson, diagnoseCompileFailure, type SectionUse } from './compile-output.js';
export { execaRunner, INSTALL_ARDUINO_CLI, INSTALL_TFLM_LIBRARY, type CommandRunner } from './cli-runner.js';
