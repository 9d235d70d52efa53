// Peer modes: weshnet's contact-request stream over one plain TCP connection instead of a libp2p stream,
// so a TypeScript test can run our requester against weshnet's responder (and our responder against
// weshnet's requester). The exchange is handshake.go's `handleIncomingRequest` / `sendContactRequest`
// (weshnet contact_request_manager.go), plus the `CheckFormat(AllowMissingRDVSeed)` weshnet's handler runs
// on the sixth frame (pkg/protocoltypes/contact.go) and the `s.Reset()` it ends every stream with (here an
// RST: SetLinger(0) then Close). Ephemeral keys are fresh (crypto/rand), as in weshnet.
//
//	go run . respond <listen host:port> <account seed hex>
//	    prints {"listening":"host:port"}, serves ONE connection, prints {"ok":true,"contact":{...}} or
//	    {"ok":false,"error":"..."}, exits.
//	go run . request <host:port> <account seed hex> <peer account pk hex> <own rdv seed hex> <metadata hex>
//	    prints {"ok":true} once the sixth frame is written, or {"ok":false,"error":"..."}.
package main

import (
	"crypto/ed25519"
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"time"
)

// peerTimeout bounds one exchange (weshnet relies on the libp2p stream's deadlines).
const peerTimeout = 20 * time.Second

// RendezvousSeedLength and CheckFormat(ShareableContactOptionsAllowMissingRDVSeed), from
// pkg/protocoltypes/contact.go: a 32-byte seed or none; pk must unmarshal as an Ed25519 key.
const RendezvousSeedLength = 32

func checkFormatAllowMissingRDVSeed(c *ShareableContact) error {
	if l := len(c.PublicRendezvousSeed); l != RendezvousSeedLength && l != 0 {
		return errors.New("rendezvous seed length should not be 32")
	}
	if len(c.Pk) != ed25519.PublicKeySize {
		return errors.New("contact public key is not an ed25519 key")
	}
	return nil
}

func printJSON(v interface{}) {
	b, err := json.Marshal(v)
	must(err)
	fmt.Println(string(b))
}

func decodeHexArg(name, s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		printJSON(H{"ok": false, "error": fmt.Sprintf("bad %s: %v", name, err)})
		os.Exit(2)
	}
	return b
}

func accountFromSeedArg(s string) ed25519.PrivateKey {
	seed := decodeHexArg("account seed", s)
	if len(seed) != ed25519.SeedSize {
		printJSON(H{"ok": false, "error": "account seed must be 32 bytes"})
		os.Exit(2)
	}
	return ed25519.NewKeyFromSeed(seed)
}

// resetClose ends the connection with an RST, as weshnet's handler ends its stream with s.Reset().
func resetClose(conn net.Conn) {
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

func respondMode(args []string) int {
	if len(args) != 2 {
		printJSON(H{"ok": false, "error": "usage: respond <listen host:port> <account seed hex>"})
		return 2
	}
	account := accountFromSeedArg(args[1])
	ln, err := net.Listen("tcp", args[0])
	if err != nil {
		printJSON(H{"ok": false, "error": err.Error()})
		return 1
	}
	defer ln.Close()
	printJSON(H{"listening": ln.Addr().String(), "accountPk": hx(pub(account))})
	conn, err := ln.Accept()
	if err != nil {
		printJSON(H{"ok": false, "error": err.Error()})
		return 1
	}
	_ = conn.SetDeadline(time.Now().Add(peerTimeout))
	contact, err := handleIncomingRequest(conn, account, crand.Reader)
	if err == nil {
		if ferr := checkFormatAllowMissingRDVSeed(contact); ferr != nil {
			err = fmt.Errorf("invalid contact information format: %w", ferr)
		}
	}
	resetClose(conn)
	if err != nil {
		printJSON(H{"ok": false, "error": err.Error()})
		return 1
	}
	printJSON(H{"ok": true, "contact": H{
		"pk":                   hx(contact.Pk),
		"publicRendezvousSeed": hx(contact.PublicRendezvousSeed),
		"metadata":             hx(contact.Metadata),
	}})
	return 0
}

func requestMode(args []string) int {
	if len(args) != 5 {
		printJSON(H{"ok": false, "error": "usage: request <host:port> <account seed hex> <peer pk hex> <rdv seed hex> <metadata hex>"})
		return 2
	}
	account := accountFromSeedArg(args[1])
	peerPk := decodeHexArg("peer pk", args[2])
	if len(peerPk) != ed25519.PublicKeySize {
		printJSON(H{"ok": false, "error": "peer pk must be 32 bytes"})
		return 2
	}
	own := &ShareableContact{Pk: pub(account), PublicRendezvousSeed: decodeHexArg("rdv seed", args[3]), Metadata: decodeHexArg("metadata", args[4])}
	conn, err := net.DialTimeout("tcp", args[0], peerTimeout)
	if err != nil {
		printJSON(H{"ok": false, "error": err.Error()})
		return 1
	}
	_ = conn.SetDeadline(time.Now().Add(peerTimeout))
	err = sendContactRequest(conn, own, account, ed25519.PublicKey(peerPk), crand.Reader)
	// weshnet's SendContactRequest defers stream.Close(): a clean close after the sixth frame.
	_ = conn.Close()
	if err != nil {
		printJSON(H{"ok": false, "error": err.Error()})
		return 1
	}
	printJSON(H{"ok": true})
	return 0
}

// peerMode runs one of the modes above when the program is given arguments; it returns the exit code.
func peerMode(args []string) int {
	switch args[0] {
	case "respond":
		return respondMode(args[1:])
	case "request":
		return requestMode(args[1:])
	default:
		printJSON(H{"ok": false, "error": "unknown mode " + args[0]})
		return 2
	}
}
