// ESLint (flat config): typescript-eslint's type-aware rules on src/, test/,
// bench/ and scripts/, Prettier for layout, and tinypdm's floor rule.
import path from 'node:path';
import js from '@eslint/js';
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
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: ['*.mjs', 'scripts/*.mjs', 'test/hardening/preload/*.mjs', 'src/compiler/1-load/loaders/*.mjs'] }, tsconfigRootDir: import.meta.dirname } },
    plugins: { tinypdm: { rules: { floors: floorsRule } } },
    rules: {
      'tinypdm/floors': 'error',
      'no-duplicate-imports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-import-type-side-effects': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  { files: ['**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  prettier,
);
