// ESLint keeps the process boundaries of docs/ARCHITECTURE.md:
// shared/ imports no Node, Electron, Vue or Pinia; renderer/ never imports electron or electron/;
// electron/core/ never imports electron (so the CLI and tests run it in plain Node); the desktop
// (electron/**) never imports the cloud service (cloud-service/), which it reaches over HTTP only.
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';
import vueParser from 'vue-eslint-parser';
import prettier from 'eslint-config-prettier';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'worker_threads'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'reports/**', 'test-results/**', 'scratch/**'] },
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  // Layout is Prettier's: the stylistic rules that would fight it are off.
  prettier,
  {
    files: ['**/*.vue'],
    languageOptions: { parser: vueParser, parserOptions: { parser: tseslint.parser, sourceType: 'module' } },
  },
  {
    rules: {
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/attribute-hyphenation': 'off',
      'vue/v-on-event-hyphenation': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'shared/ runs in the renderer too: no Node modules.' },
            { group: ['electron', 'electron/*'], message: 'shared/ must not import Electron.' },
            { group: ['vue', 'pinia', 'vue-*', 'naive-ui'], message: 'shared/ must not import Vue or Pinia.' },
            { group: ['**/electron/**', '**/renderer/**'], message: 'shared/ depends on nothing of the app.' },
            // '#' starts a comment in gitignore-style groups, so the alias needs a regex.
            { regex: '^#core/', message: 'shared/ depends on nothing of the app.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.vue'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'electron/*'], message: 'The renderer never imports Electron: use renderer/api.ts.' },
            { group: ['**/electron/**', '**/electron', '**/stand-ins/**'], message: 'The renderer never imports main-process code.' },
            { regex: '^#core/', message: 'The renderer never imports main-process code.' },
            { group: nodeBuiltins, message: 'The renderer has no Node: ask the main process.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/core/**/*.ts', 'stand-ins/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'electron/*'], message: 'electron/core is plain Node: no Electron imports.' },
            { group: ['**/renderer/**'], message: 'The core does not import the renderer.' },
            { group: ['**/stand-ins/**'], message: 'The product never depends on a stand-in or demo server.' },
            {
              group: ['**/cloud-service/**'],
              message: 'The desktop reaches CertDesk Cloud over HTTP (core/cloud/cloud-client.ts), never by import.',
            },
          ],
        },
      ],
    },
  },
  {
    // CertDesk Cloud (cloud-service/) is a server: it may reuse the core's pure rules, never the desktop shell or a stand-in.
    files: ['cloud-service/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'electron/*'], message: 'CertDesk Cloud is plain Node: no Electron imports.' },
            {
              group: ['**/renderer/**', '**/stand-ins/**', '**/test-bridge/**'],
              message: 'CertDesk Cloud does not import the renderer, the bridge or a stand-in.',
            },
          ],
        },
      ],
    },
  },
  {
    // Everything that ships (main, preload, CLI, core, browser mode) stays clear of the stand-ins.
    files: ['electron/**/*.ts'],
    ignores: ['electron/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/stand-ins/**'], message: 'The product never depends on a stand-in or demo server.' },
            {
              group: ['**/cloud-service/**'],
              message: 'The desktop reaches CertDesk Cloud over HTTP (core/cloud/cloud-client.ts), never by import.',
            },
          ],
        },
      ],
    },
  },
);
