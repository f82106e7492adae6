// `npm run lint` (the last step of .ci/run): @antfu/eslint-config for style and
// import order, plus two rules for the architecture README "Developing"
// describes: no import cycles, and folders of src/ that import one way only.
// import-x/no-cycle skips `import type`; `npm run lint` then runs dpdm, which
// counts those too, so that no cycle of any kind passes.
import antfu from '@antfu/eslint-config'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'
import importX from 'eslint-plugin-import-x'

/**
 * The layers of src/, bottom first: a folder may import the folders before it,
 * never those after it. Folders on one line are peers that may not import each
 * other. `src/types.ts` (the public types) may be imported by any of them.
 */
const LAYERS = [
  ['common'],
  ['providers'],
  ['config'],
  ['derive'],
  ['core'],
  ['output'],
  ['plugin', 'cli'],
]
/** Client-side entries: they run in browsers, so they may import only the public types and each other, downwards. */
const CLIENT_LAYERS = [['picture'], ['components']]

const folder = name => `./src/${name}`
const everyFolder = [...LAYERS, ...CLIENT_LAYERS].flat()

function layerZones(layers, others) {
  return layers.flatMap((peers, level) => peers.map((name) => {
    const allowed = new Set([...layers.slice(0, level).flat(), name])
    return {
      target: folder(name),
      from: [...layers.flat(), ...others].filter(other => !allowed.has(other)).map(folder),
      message: `src/${name}/ may import only ${[...allowed].map(n => `src/${n}/`).join(', ')} and src/types.ts (README "Developing").`,
    }
  }))
}

export default antfu(
  {
    // What the framework fixtures' installs and builds write is ignored as git ignores it.
    gitignore: { files: ['.gitignore', 'fixtures/frameworks/.gitignore'] },
    // Code only: the README's snippets, package.json and the lockfiles keep their own layout.
    markdown: false,
    jsonc: false,
    yaml: false,
    toml: false,
    // The preset ignores every `output` folder (build output elsewhere); here src/output/ is source.
    ignores: defaults => [
      ...defaults.filter(glob => glob !== '**/output'),
      'examples/**',
      'fixtures/**/ai-assets/**',
      // The template create-vite writes, kept as it is.
      'fixtures/frameworks/create-vite-react-ts/src/**',
      '**/ai-assets.d.ts',
    ],
  },
  {
    rules: {
      // The code uses Node's globals `Buffer` and `process` as they are.
      'node/prefer-global/buffer': 'off',
      'node/prefer-global/process': 'off',
      // Titles name products (`Vite 5`), and hooks sit next to what they undo.
      'test/prefer-lowercase-title': 'off',
      'test/prefer-hooks-in-order': 'off',
      // `try { … } catch {}` on one line is how the tests clean up.
      'style/max-statements-per-line': ['error', { max: 2 }],
      'jsdoc/require-returns-description': 'off',
    },
  },
  {
    // Scripts, benchmarks and fixtures are programs: they print and await at the top.
    files: ['bench/**', 'scripts/**', 'fixtures/**'],
    rules: {
      'no-console': 'off',
      'antfu/no-top-level-await': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver': undefined,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': ['error', {
        zones: [
          ...layerZones(LAYERS, CLIENT_LAYERS.flat()),
          ...layerZones(CLIENT_LAYERS, LAYERS.flat()),
          {
            target: './src/types.ts',
            from: everyFolder.filter(name => !['common', 'providers'].includes(name)).map(folder),
            message: 'src/types.ts (the public types) may import only src/common/ and src/providers/.',
          },
        ],
      }],
    },
  },
)
