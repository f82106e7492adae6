/** Installs the named framework fixtures (default: all) whose package.json or lockfile changed; gives the names installed. */
export function installFixtures(names?: string[], log?: (message: string) => void): Promise<string[]>
