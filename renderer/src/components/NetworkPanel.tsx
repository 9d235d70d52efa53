import { useEffect, useState, type FormEvent } from 'react'
import type { PeerInfoT } from '../../../core/api'
import { describeError } from '../api/errors'
import { useActions, useApp } from '../store/context'
import { DriverStatusCard, ReachSettingsCard } from './NetworkDrivers'

/** While the node reports `ready: false`, poll its info this often. */
const NOT_READY_POLL_MS = 2000

export function NetworkPanel() {
  const node = useApp((s) => s.node)
  const peers = useApp((s) => s.peers)
  const actions = useActions()

  useEffect(() => {
    void actions.refreshNode()
    void actions.refreshPeers()
  }, [actions])

  useEffect(() => {
    if (!node || node.ready) return
    const t = setTimeout(() => void actions.refreshNode(), NOT_READY_POLL_MS)
    return () => clearTimeout(t)
  }, [node, actions])

  return (
    <section className="panel" data-testid="network-panel" aria-labelledby="network-title">
      <header className="panel-header">
        <h2 id="network-title">Network</h2>
        <button
          type="button"
          className="btn"
          data-testid="network-refresh"
          onClick={() => {
            void actions.refreshNode()
            void actions.refreshPeers()
          }}
        >
          Refresh
        </button>
      </header>

      <div className="card">
        <h3>This node</h3>
        {!node ? (
          <p className="muted" role="status">
            <span className="spinner" aria-hidden="true" /> Reading node information…
          </p>
        ) : (
          <dl className="facts">
            <dt>Peer ID</dt>
            <dd>
              <code className="mono selectable" data-testid="peer-id">
                {node.peerId}
              </code>
            </dd>
            <dt>Status</dt>
            <dd data-testid="node-status">{node.ready ? 'Running' : 'Starting…'}</dd>
            <dt>Version</dt>
            <dd>{node.version}</dd>
            <dt>Listening on</dt>
            <dd>
              {node.addrs.length === 0 ? (
                <span className="muted">No listen addresses</span>
              ) : (
                <ul className="addr-list" data-testid="listen-addrs">
                  {node.addrs.map((a) => (
                    <li key={a}>
                      <code className="mono selectable">{a}</code>
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </dl>
        )}
      </div>

      <DriverStatusCard />

      <ReachSettingsCard />

      <ConnectForm />

      <div className="card">
        <h3>
          Connected peers <span className="count" data-testid="peer-count">{peers.length}</span>
        </h3>
        {peers.length === 0 ? (
          <p className="muted" data-testid="peer-empty">
            No peers connected. Peers on your local network are found automatically; you can also connect to an address
            above.
          </p>
        ) : (
          <ul className="peer-list" data-testid="peer-list" aria-label="Connected peers">
            {peers.map((p) => (
              <PeerItem key={p.peerId} peer={p} />
            ))}
          </ul>
        )}
      </div>
    </section>
  )
}

const PATH_LABEL: Record<NonNullable<PeerInfoT['path']>, string> = {
  lan: 'LAN',
  direct: 'direct',
  relayed: 'relayed',
  webrtc: 'WebRTC'
}

function PeerItem({ peer }: { peer: PeerInfoT }) {
  return (
    <li className="peer-item" data-testid="peer-item" data-peer-id={peer.peerId}>
      <div className="peer-top">
        <code className="mono peer-id" title={peer.peerId}>
          {peer.peerId}
        </code>
        {peer.path && (
          <span className={`chip path-${peer.path}`} data-testid="peer-path" title="How this node reaches the peer">
            {PATH_LABEL[peer.path]}
          </span>
        )}
        <span className="muted small">{peer.direction === 'inbound' ? 'inbound' : 'outbound'}</span>
        <span className="latency" data-testid="peer-latency">
          {peer.latencyMs !== undefined ? `${Math.round(peer.latencyMs)} ms` : '— ms'}
        </span>
      </div>
      <div className="peer-bottom">
        {peer.transports.map((t) => (
          <span key={t} className="chip" data-testid="peer-transport">
            {t}
          </span>
        ))}
        {peer.addrs[0] && (
          <code className="mono muted small peer-addr" title={peer.addrs.join('\n')}>
            {peer.addrs[0]}
            {peer.addrs.length > 1 ? ` (+${peer.addrs.length - 1})` : ''}
          </code>
        )}
      </div>
    </li>
  )
}

function ConnectForm() {
  const actions = useActions()
  const busy = useApp((s) => 'peer:connect' in s.pending)
  const [addr, setAddr] = useState('')
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null)
  const trimmed = addr.trim()
  const problem = trimmed && !trimmed.startsWith('/') ? 'A multiaddr starts with “/”, e.g. /ip4/192.168.1.20/tcp/4001/p2p/12D3Koo…' : null

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!trimmed || problem || busy) return
    setResult(null)
    try {
      const peerId = await actions.connectPeer(trimmed)
      setResult({ ok: true, text: `Connected to ${peerId}` })
      setAddr('')
    } catch (err) {
      setResult({ ok: false, text: describeError(err) })
    }
  }

  return (
    <form className="card" onSubmit={submit} aria-busy={busy}>
      <h3>Connect to a peer (advanced)</h3>
      <div className="inline-form">
        <label className="field grow">
          <span className="field-label">Multiaddr</span>
          <input
            className="mono"
            data-testid="peer-connect-input"
            value={addr}
            onChange={(e) => {
              setAddr(e.target.value)
              setResult(null)
            }}
            placeholder="/ip4/127.0.0.1/tcp/4001/p2p/12D3Koo…"
            spellCheck={false}
            autoComplete="off"
            maxLength={1024}
            disabled={busy}
            aria-invalid={problem ? true : undefined}
            aria-describedby="peer-connect-help"
          />
        </label>
        <button type="submit" className="btn primary" data-testid="peer-connect-submit" disabled={!trimmed || !!problem || busy}>
          {busy ? 'Connecting…' : 'Connect'}
        </button>
      </div>
      <p id="peer-connect-help" className={problem ? 'form-error' : 'hint'}>
        {problem ?? 'Reach a device directly, e.g. another computer on your network or your own replica.'}
      </p>
      {result && (
        <p
          className={result.ok ? 'form-ok' : 'form-error'}
          role={result.ok ? 'status' : 'alert'}
          data-testid={result.ok ? 'peer-connect-result' : 'peer-connect-error'}
        >
          {result.text}
        </p>
      )}
    </form>
  )
}
