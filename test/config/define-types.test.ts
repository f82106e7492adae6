import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { copyFixture, edit, repoRoot } from '../helpers'

const tsc = (root: string) => spawnSync(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', root], { encoding: 'utf8' })

it('defineAssets types a config: palette names, formats, required and unknown fields', () => {
  const root = copyFixture('types-define')
  const valid = tsc(root)
  expect(valid.stdout + valid.stderr).toBe('')
  expect(valid.status).toBe(0)

  // The same file with a mistake that is not expected fails, naming the field.
  edit(join(root, 'assets.config.ts'), text => text.replace(`palette: 'brand', alt: 'A cabin'`, `palette: 'brandd', alt: 'A cabin'`))
  const invalid = tsc(root)
  expect(invalid.status).not.toBe(0)
  expect(invalid.stdout).toMatch(/assets\.config\.ts\(14,\d+\): error TS\d+: Type '"brandd"' is not assignable/)
})
