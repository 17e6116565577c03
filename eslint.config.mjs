// ESLint (flat config): typescript-eslint's type-aware rules on src/, test/,
// bench/ and scripts/, Prettier for layout, and tinypdm's floor rule.
import path from 'node:path';
import js from '@eslint/js';
import globals from 'globals';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';
import { importViolation } from './scripts/architecture.mjs';

const SRC = path.resolve('src');

/** Every relative import in src/ goes down a floor, through the target folder's index.ts (scripts/architecture.mjs). */
const floorsRule = {
  meta: { type: 'problem', schema: [], docs: { description: 'imports point down the pipeline, through index.ts' } },
  create(context) {
    const from = path.relative(SRC, context.filename);
    if (from.startsWith('..')) return {};
    const check = (node, spec) => {
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = path.relative(SRC, path.resolve(path.dirname(context.filename), spec)).replace(/\.js$/, '.ts');
      if (target.startsWith('..')) return;
      const why = importViolation(from.split(path.sep).join('/'), target.split(path.sep).join('/'));
      if (why) context.report({ node, message: why });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'src/tflite/schema/generated/**', 'arduino/**', 'coverage/**', 'demo-out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: [
            '*.mjs',
            'scripts/*.mjs',
            'test/hardening/preload/*.mjs',
            'src/compiler/1-load/loaders/*.mjs',
            'bin/*.js',
            'vitest.config.ts',
          ],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { tinypdm: { rules: { floors: floorsRule } } },
    rules: {
      'tinypdm/floors': 'error',
      'no-duplicate-imports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-import-type-side-effects': 'error',
      eqeqeq: ['error', 'always'],
      // Enum values read from a flatbuffer are plain numbers, compared with the generated enums by design.
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
      // `ok || fail(...)` is the house idiom for a check that throws a user error.
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
      // Shapes are printed in messages as `[1, 32, 32, 1]` through `join`; a bare array would print `1,32,32,1`.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true, allowNullish: true }],
    },
  },
  {
    // Tests read JSON written by the CLI (reports, markers, tinypdm.json): its values are `any` by nature.
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // A test double may be async without awaiting, to match the interface it stands in for.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['**/*.mjs', 'bin/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: { ...globals.node } },
  },
  prettier,
);
