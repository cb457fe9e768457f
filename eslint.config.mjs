import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.data/', 'web/dist/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', URL: 'readonly', setTimeout: 'readonly' },
      // Lets consistent-type-imports keep value imports that decorator metadata needs.
      parserOptions: { emitDecoratorMetadata: true, experimentalDecorators: true },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Jest compiles each file alone (isolatedModules): a type imported as a value breaks ESM linking.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': ['error', { allow: ['error', 'warn'] }],
      'no-restricted-imports': [
        'error',
        {
          paths: ['@nestjs/swagger', '@nestjs/mapped-types'].map((name) => ({
            name,
            importNames: ['PartialType'],
            message: 'Use PatchOf (src/common/validation/is-omittable.ts): PartialType lets null reach NOT NULL columns.',
          })),
        },
      ],
    },
  },
  {
    files: ['src/common/validation/is-omittable.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['scripts/**', 'bench/**', 'src/demo/**'],
    rules: { 'no-console': 'off' },
  },
);
