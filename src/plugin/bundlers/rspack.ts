/**
 * Rspack: an import resolves to a real file, not to a virtual module.
 * unplugin makes virtual modules with Rspack's VirtualModulesPlugin, whose
 * files exist only in the memory of the compiler that applied it; a child
 * compiler (html-webpack-plugin compiles its template in one) resolves
 * `~ai-assets/x?url` to that path too, and cannot read it ("Module not found
 * … node_modules/.virtual/%00ai-assets…"). A file on disk is read by every
 * compiler; its content never matters, since the plugin's load hook gives the
 * module's code. webpack needs none: webpack-virtual-modules patches the file
 * system that child compilers share.
 */
import type { AssetImport } from '../ids'
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { writeFileAtomic } from '../../common/write-atomic'
import { IMPORT_FILES_DIR, importFileName } from '../ids'

const STUB = '// An ~ai-assets import: unplugin-ai-assets gives its code when Rspack loads it.\nexport {}\n'

/** The import's file below `root`, written once. */
export async function rspackImportFile(root: string, parsed: AssetImport): Promise<string> {
  const file = join(root, IMPORT_FILES_DIR, importFileName(parsed))
  if (!existsSync(file)) {
    await mkdir(dirname(file), { recursive: true })
    await writeFileAtomic(file, STUB)
  }
  return file
}
