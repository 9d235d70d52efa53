import { describe, expect, it } from 'vitest'
import { TOKEN_STORAGE_KEY, apiUrl, takeToken, type StorageLike } from '../../../renderer/src/api/token'

function memoryStorage(initial: Record<string, string> = {}): StorageLike & { data: Record<string, string> } {
  const data = { ...initial }
  return {
    data,
    getItem: (k) => (k in data ? (data[k] as string) : null),
    setItem: (k, v) => {
      data[k] = v
    }
  }
}

describe('API token from the address', () => {
  it('reads #token=…, stores it for this tab and removes it from the address bar', () => {
    const storage = memoryStorage()
    const urls: string[] = []
    const token = takeToken({ hash: '#token=abc_DEF-123', pathAndQuery: '/?x=1', replaceUrl: (u) => urls.push(u), storage })
    expect(token).toBe('abc_DEF-123')
    expect(storage.data[TOKEN_STORAGE_KEY]).toBe('abc_DEF-123')
    expect(urls).toEqual(['/?x=1'])
  })

  it('keeps other fragment parameters', () => {
    const urls: string[] = []
    const token = takeToken({ hash: '#a=1&token=t0k&b=2', pathAndQuery: '/', replaceUrl: (u) => urls.push(u), storage: memoryStorage() })
    expect(token).toBe('t0k')
    expect(urls).toEqual(['/#a=1&b=2'])
  })

  it('falls back to the stored token after a reload, without touching the address', () => {
    const urls: string[] = []
    const storage = memoryStorage({ [TOKEN_STORAGE_KEY]: 'saved' })
    expect(takeToken({ hash: '', pathAndQuery: '/', replaceUrl: (u) => urls.push(u), storage })).toBe('saved')
    expect(takeToken({ hash: '#other=1', pathAndQuery: '/', replaceUrl: (u) => urls.push(u), storage })).toBe('saved')
    expect(urls).toEqual([])
  })

  it('a new token in the address replaces the stored one', () => {
    const storage = memoryStorage({ [TOKEN_STORAGE_KEY]: 'old' })
    expect(takeToken({ hash: '#token=new', pathAndQuery: '/', replaceUrl: () => {}, storage })).toBe('new')
    expect(storage.data[TOKEN_STORAGE_KEY]).toBe('new')
  })

  it('returns null with no token anywhere, and survives broken storage and history', () => {
    expect(takeToken({ hash: '', pathAndQuery: '/', replaceUrl: () => {}, storage: null })).toBeNull()
    const broken: StorageLike = {
      getItem: () => {
        throw new Error('SecurityError')
      },
      setItem: () => {
        throw new Error('SecurityError')
      }
    }
    expect(takeToken({ hash: '', pathAndQuery: '/', replaceUrl: () => {}, storage: broken })).toBeNull()
    const replaceFails = () => {
      throw new Error('no history')
    }
    expect(takeToken({ hash: '#token=x', pathAndQuery: '/', replaceUrl: replaceFails, storage: broken })).toBe('x')
  })

  it('an empty #token= is dropped from the address and ignored', () => {
    const urls: string[] = []
    const storage = memoryStorage({ [TOKEN_STORAGE_KEY]: 'saved' })
    expect(takeToken({ hash: '#token=', pathAndQuery: '/p', replaceUrl: (u) => urls.push(u), storage })).toBe('saved')
    expect(urls).toEqual(['/p'])
  })

  it('builds the API address on the page origin, escaping the token', () => {
    expect(apiUrl('http:', '127.0.0.1:8080', 'a b')).toBe('ws://127.0.0.1:8080/api?token=a%20b')
    expect(apiUrl('https:', 'localhost', 't')).toBe('wss://localhost/api?token=t')
    expect(apiUrl('http:', '[::1]:1', null)).toBe('ws://[::1]:1/api')
  })
})
