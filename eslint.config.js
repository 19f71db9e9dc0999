// ESLint keeps the package and process boundaries of docs/ARCHITECTURE.md:
// @certdesk/shared (packages/shared) imports no Node, Electron, Vue or Pinia and nothing of ours;
// @certdesk/core (packages/core) is plain Node and imports neither the desktop nor the cloud service;
// renderer/ reaches the main process only through the contract; desktop/ (the desktop's plain-Node
// side: services, browser mode, CLI) never imports Electron; the desktop never imports the cloud
// service (it speaks HTTP to it), and the cloud service never imports the desktop.
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';
import vueParser from 'vue-eslint-parser';
import prettier from 'eslint-config-prettier';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'worker_threads'];

export default tseslint.config(
  {
    ignores: ['out/**', '**/dist/**', '**/dist-testing/**', 'release/**', 'node_modules/**', 'reports/**', 'test-results/**', 'scratch/**'],
  },
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
    files: ['packages/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: '@certdesk/shared runs in the renderer too: no Node modules.' },
            { group: ['electron', 'electron/*'], message: '@certdesk/shared must not import Electron.' },
            { group: ['vue', 'pinia', 'vue-*', 'naive-ui'], message: '@certdesk/shared must not import Vue or Pinia.' },
            {
              group: ['@certdesk/core', '@certdesk/core/*', '@certdesk/cloud-service', '@certdesk/cloud-service/*', '../../*', '../*/**'],
              message: '@certdesk/shared depends on nothing of the app.',
            },
            // '#' starts a comment in gitignore-style groups, so the alias needs a regex.
            { regex: '^#', message: '@certdesk/shared depends on nothing of the app.' },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'electron/*'], message: '@certdesk/core is plain Node: no Electron imports.' },
            {
              group: [
                '**/renderer/**',
                '**/desktop/**',
                '**/electron/**',
                '**/stand-ins/**',
                '**/cloud-service/**',
                '@certdesk/cloud-service',
                '@certdesk/cloud-service/*',
                '../../../*',
              ],
              message: '@certdesk/core is shared by the desktop, the CLI and the cloud service: it imports none of them (nor a stand-in).',
            },
            { regex: '^#', message: '@certdesk/core imports other packages by name, never an app alias.' },
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
            {
              group: [
                '**/electron/**',
                '**/electron',
                '**/desktop/**',
                '**/stand-ins/**',
                '**/packages/**',
                '@certdesk/core',
                '@certdesk/core/*',
                '@certdesk/cloud-service',
                '@certdesk/cloud-service/*',
              ],
              message: 'The renderer never imports main-process code: it asks through the contract (@certdesk/shared).',
            },
            { regex: '^#desktop/', message: 'The renderer never imports main-process code.' },
            { group: nodeBuiltins, message: 'The renderer has no Node: ask the main process.' },
          ],
        },
      ],
    },
  },
  {
    files: ['desktop/**/*.ts', 'stand-ins/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', 'electron/*'],
              message: 'desktop/ is plain Node (browser mode and the CLI run it): no Electron imports.',
            },
            { group: ['**/renderer/**', '**/electron/**'], message: 'desktop/ does not import the renderer or the Electron shell.' },
            { group: ['**/stand-ins/**'], message: 'The product never depends on a stand-in or demo server.' },
            {
              group: ['**/cloud-service/**', '@certdesk/cloud-service', '@certdesk/cloud-service/*'],
              message: 'The desktop reaches CertDesk Cloud over HTTP (desktop/cloud-client.ts), never by import.',
            },
          ],
        },
      ],
    },
  },
  {
    // CertDesk Cloud is a server of its own: it shares @certdesk/core and @certdesk/shared by name, never the desktop.
    files: ['cloud-service/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'electron/*'], message: 'CertDesk Cloud is plain Node: no Electron imports.' },
            {
              group: ['**/renderer/**', '**/stand-ins/**', '**/desktop/**', '**/electron/**', '**/packages/**'],
              message: 'CertDesk Cloud does not import the desktop, the renderer or a stand-in; it shares @certdesk/core by name.',
            },
            {
              regex: '^#',
              message: 'CertDesk Cloud does not import the desktop, the renderer or a stand-in; it shares @certdesk/core by name.',
            },
          ],
        },
      ],
    },
  },
  {
    // Everything that ships in the desktop (main, preload) stays clear of the stand-ins and the server.
    files: ['electron/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/stand-ins/**'], message: 'The product never depends on a stand-in or demo server.' },
            {
              group: ['**/cloud-service/**', '@certdesk/cloud-service', '@certdesk/cloud-service/*'],
              message: 'The desktop reaches CertDesk Cloud over HTTP (desktop/cloud-client.ts), never by import.',
            },
          ],
        },
      ],
    },
  },
);
