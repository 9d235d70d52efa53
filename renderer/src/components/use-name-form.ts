import { useState, type FormEvent } from 'react'
import { describeError } from '../api/errors'
import { useApp } from '../store/context'

/**
 * State of a one-name form (new account, new group): the typed name, the node's error, and a submit
 * that trims, ignores empty or repeated submits while `pendingMethod` runs, and reports failures.
 */
export function useNameForm(pendingMethod: string, action: (name: string) => Promise<unknown>, onDone?: () => void) {
  const busy = useApp((s) => pendingMethod in s.pending)
  const [name, setName] = useState('')
  const [error, setError] = useState<string | null>(null)
  const trimmed = name.trim()

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!trimmed || busy) return
    setError(null)
    try {
      await action(trimmed)
      onDone?.()
    } catch (err) {
      setError(describeError(err))
    }
  }
  return { name, setName, error, busy, trimmed, submit }
}
