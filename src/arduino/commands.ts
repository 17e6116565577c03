/** The exact arduino-cli command lines tinypdm runs; pure, so they are unit-tested. */
export function compileArgs(sketchDir: string, fqbn: string, outputDir: string): string[] {
  return ['compile', '--fqbn', fqbn, '--output-dir', outputDir, '--format', 'json', sketchDir];
}

export function uploadArgs(sketchDir: string, fqbn: string, port: string, inputDir?: string): string[] {
  return ['upload', '-p', port, '--fqbn', fqbn, ...(inputDir ? ['--input-dir', inputDir] : []), sketchDir];
}

export function libListArgs(): string[] {
  return ['lib', 'list', '--format', 'json'];
}
