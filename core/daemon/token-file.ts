/**
 * `--token-file`: keeps the API token stable across daemon restarts (so a deployed UI or a
 * script need not learn a new one). The file is the token in clear, so it is treated like the
 * key file: created 0600 with `wx`, refused if a symlink, not a regular file, group/world
 * accessible, or not ours.
 */
import { constants, closeSync, fstatSync, openSync, readFileSync, writeFileSync } from 'node:fs'
import { TOKEN_PATTERN, generateToken } from './daemon'

const isPosix = process.platform !== 'win32'

export class TokenFileError extends Error {
  override readonly name = 'TokenFileError'
}

function readToken(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | (isPosix ? constants.O_NOFOLLOW : 0))
  try {
    const st = fstatSync(fd)
    if (!st.isFile()) throw new TokenFileError(`token file ${path} is not a regular file`)
    if (isPosix) {
      if ((st.mode & 0o077) !== 0) throw new TokenFileError(`token file ${path} is accessible by group or others; run: chmod 600 ${path}`)
      const uid = process.getuid?.()
      if (uid !== undefined && st.uid !== uid) throw new TokenFileError(`token file ${path} is not owned by the current user`)
    }
    if (st.size > 1024) throw new TokenFileError(`token file ${path} is too large`)
    const token = readFileSync(fd, 'utf8').trim()
    // Never echo the content: it is the secret, even when malformed.
    if (!TOKEN_PATTERN.test(token)) throw new TokenFileError(`token file ${path} does not hold 22 to 256 characters of [A-Za-z0-9_-]`)
    return token
  } finally {
    closeSync(fd)
  }
}

/** The token in `path`, or a new one written there if the file does not exist. */
export function loadOrCreateToken(path: string): string {
  try {
    return readToken(path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw new TokenFileError(`token file ${path} is a symbolic link`)
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  const token = generateToken()
  try {
    writeFileSync(path, `${token}\n`, { flag: 'wx', mode: 0o600 })
  } catch (err) {
    // Another process created it first: use theirs so both agree.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readToken(path)
    throw err
  }
  return token
}
