// Golden vectors from weshnet's own code (copied into weshnet.go / handshake.go, see README.md).
// Fixed seeds in, JSON of hex bytes out: `go run . > ../wesh-go.json`.
package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"google.golang.org/protobuf/proto"
)

// seed(label) = SHA-256("berty-desktop/go-vectors/" + label): every input is reproducible.
func seed(label string) []byte {
	s := sha256.Sum256([]byte("berty-desktop/go-vectors/" + label))
	return s[:]
}

func key(label string) ed25519.PrivateKey { return ed25519.NewKeyFromSeed(seed(label)) }

func pub(k ed25519.PrivateKey) []byte { return []byte(k.Public().(ed25519.PublicKey)) }

func nonce(label string) *[NonceSize]byte {
	var n [NonceSize]byte
	copy(n[:], seed("nonce/"+label))
	return &n
}

type H = map[string]interface{}

func hx(b []byte) string { return hex.EncodeToString(b) }

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// --- rendezvous chain: tinder_swiper.go Announce/WatchTopic → rotation.go → go-libp2p nsToCid ---

func rendezvousChain() []H {
	out := []H{}
	account := key("rdv/account")
	rdvSeed := seed("rdv/seed")
	times := []int64{1586520000, 1586523599, 1700000000, 1700006399, 1735689599, 1735689600}
	for _, unix := range times {
		at := time.Unix(unix, 0).UTC()
		// tinder_swiper.go: rp.NewRendezvousPointForPeriod(time.Now(), base64.StdEncoding.EncodeToString(topic), seed)
		topic := base64.StdEncoding.EncodeToString(pub(account))
		// rotation.go NewRendezvousPointForPeriod: at = r.RoundTimePeriod(at)
		period := RoundTimePeriod(at, DefaultRotationInterval)
		point := GenerateRendezvousPointForPeriod([]byte(topic), rdvSeed, period)
		// rotation.go Point.RotationTopic(): what tinder advertises
		ns := base64.StdEncoding.EncodeToString(point)
		// go-libp2p p2p/discovery/routing nsToCid: cid.NewCidV1(cid.Raw, multihash.Sum(ns, SHA2_256))
		digest := sha256.Sum256([]byte(ns))
		cid := append([]byte{0x01, 0x55, 0x12, 0x20}, digest[:]...)
		out = append(out, H{
			"accountPk":   hx(pub(account)),
			"seed":        hx(rdvSeed),
			"unixSeconds": unix,
			"topic":       topic,
			"periodStart": period.Unix(),
			"point":       hx(point),
			"namespace":   ns,
			"dhtKeyCid":   hx(cid),
			"dhtKeyCidString": "b" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(cid)),
		})
	}
	return out
}

// --- groups --------------------------------------------------------------------------------------

// protocoltypes/group.go NewGroupMultiMember with fixed keys: secret = seed of a fresh Ed25519 key.
func multiMemberGroup() (*Group, ed25519.PrivateKey) {
	groupSK := key("group/multi")
	secret := seed("group/multi/secret")
	g := &Group{
		PublicKey: pub(groupSK),
		Secret:    secret,
		SecretSig: ed25519.Sign(groupSK, secret),
		GroupType: GroupType_GroupTypeMultiMember,
	}
	linkKey, err := ComputeLinkKey(g.PublicKey, g.Secret)
	must(err)
	g.LinkKeySig = ed25519.Sign(groupSK, linkKey[:])
	return g, groupSK
}

// Account group (PROTOCOL.md "Account group"): groupPK = accountPK, secret = seed(accountProofSK).
func accountGroup() *Group {
	return &Group{PublicKey: pub(key("account")), Secret: seed("account-proof"), GroupType: GroupType_GroupTypeAccount}
}

func contactGroup() *Group {
	return &Group{PublicKey: pub(key("group/contact")), Secret: seed("group/contact/secret"), GroupType: GroupType_GroupTypeContact}
}

func groupJSON(g *Group) H {
	linkKey, err := ComputeLinkKey(g.PublicKey, g.Secret)
	must(err)
	return H{
		"publicKey": hx(g.PublicKey), "secret": hx(g.Secret), "secretSig": hx(g.SecretSig),
		"groupType": int32(g.GroupType), "linkKey": hx(linkKey[:]), "linkKeySig": hx(g.LinkKeySig),
		"encoded": hx(mustMarshal(g)),
	}
}

func mustMarshal(m proto.Message) []byte {
	b, err := proto.Marshal(m)
	must(err)
	return b
}

func envelope(name string, g *Group, groupName string, et EventType, payload proto.Message, sig []byte, signer string) H {
	n := nonce("envelope/" + name)
	env, err := sealGroupEnvelope(g, et, payload, sig, n)
	must(err)
	metadata := mustMarshal(&GroupMetadata{EventType: et, Payload: mustMarshal(payload), Sig: sig, ProtocolMetadata: &ProtocolMetadata{}})
	return H{
		"name": name, "group": groupName, "eventType": int32(et), "eventTypeName": et.String(),
		"payload": hx(mustMarshal(payload)), "sig": hx(sig), "signedBy": signer,
		"nonce": hx(n[:]), "groupMetadata": hx(metadata), "envelope": hx(env),
	}
}

func groupEnvelopes() (H, []H) {
	multi, groupSK := multiMemberGroup()
	account := accountGroup()
	contact := contactGroup()
	member := key("member")
	device := key("device")
	destMember := key("dest-member")
	devicePK := pub(device)
	peer := pub(key("peer-account"))
	chainKey := &DeviceChainKey{ChainKey: seed("device/chain-key"), Counter: 0}

	envs := []H{}
	// store_metadata.go MetadataStoreAddDeviceToGroup
	mda := &GroupMemberDeviceAdded{MemberPk: pub(member), DevicePk: devicePK, MemberSig: ed25519.Sign(member, devicePK)}
	sig, _ := signProtoWithDevice(mda, device)
	envs = append(envs, envelope("MemberDeviceAdded", multi, "multi", EventType_EventTypeGroupMemberDeviceAdded, mda, sig, "device"))

	// store_metadata.go MetadataStoreSendSecret + chain_key.go encryptDeviceChainKey
	encrypted, err := encryptDeviceChainKey(device, pub(destMember), chainKey, multi)
	must(err)
	dcka := &GroupDeviceChainKeyAdded{DevicePk: devicePK, DestMemberPk: pub(destMember), Payload: encrypted}
	sig, _ = signProtoWithDevice(dcka, device)
	envs = append(envs, envelope("DeviceChainKeyAdded", multi, "multi", EventType_EventTypeGroupDeviceChainKeyAdded, dcka, sig, "device"))

	// store_metadata.go SendAliasProof (resolver and proof are nil there) via attributeSignAndAddEvent
	ara := &MultiMemberGroupAliasResolverAdded{DevicePk: devicePK}
	sig, _ = signProtoWithDevice(ara, device)
	envs = append(envs, envelope("AliasResolverAdded", multi, "multi", EventType_EventTypeMultiMemberGroupAliasResolverAdded, ara, sig, "device"))

	// store_metadata.go ClaimGroupOwnership: MemberPk is the device key there, signed with the group key
	ima := &MultiMemberGroupInitialMemberAnnounced{MemberPk: devicePK}
	sig, _ = signProtoWithPrivateKey(ima, groupSK)
	envs = append(envs, envelope("InitialMemberAnnounced", multi, "multi", EventType_EventTypeMultiMemberGroupInitialMemberAnnounced, ima, sig, "group"))

	// store_metadata.go SendAppMetadata
	app := &GroupMetadataPayloadSent{DevicePk: devicePK, Message: []byte("app metadata payload")}
	sig, _ = signProtoWithDevice(app, device)
	envs = append(envs, envelope("GroupMetadataPayloadSent", multi, "multi", EventType_EventTypeGroupMetadataPayloadSent, app, sig, "device"))

	// store_metadata.go ContactSendAliasKey (contact group)
	alias := &ContactAliasKeyAdded{DevicePk: devicePK, AliasPk: pub(key("account-proof"))}
	sig, _ = signProtoWithDevice(alias, device)
	envs = append(envs, envelope("ContactAliasKeyAdded", contact, "contact", EventType_EventTypeContactAliasKeyAdded, alias, sig, "device"))

	// Account group events, all through attributeSignAndAddEvent (device-signed).
	contactPeer := &ShareableContact{Pk: peer, PublicRendezvousSeed: seed("peer-rdv-seed"), Metadata: []byte("peer metadata")}
	accountEvents := []struct {
		name string
		et   EventType
		msg  proto.Message
	}{
		{"AccountGroupJoined", EventType_EventTypeAccountGroupJoined, &AccountGroupJoined{DevicePk: devicePK, Group: multi}},
		{"AccountGroupLeft", EventType_EventTypeAccountGroupLeft, &AccountGroupLeft{DevicePk: devicePK, GroupPk: multi.PublicKey}},
		{"AccountContactRequestDisabled", EventType_EventTypeAccountContactRequestDisabled, &AccountContactRequestDisabled{DevicePk: devicePK}},
		{"AccountContactRequestEnabled", EventType_EventTypeAccountContactRequestEnabled, &AccountContactRequestEnabled{DevicePk: devicePK}},
		{"AccountContactRequestReferenceReset", EventType_EventTypeAccountContactRequestReferenceReset, &AccountContactRequestReferenceReset{DevicePk: devicePK, PublicRendezvousSeed: seed("own-rdv-seed")}},
		{"AccountContactRequestOutgoingEnqueued", EventType_EventTypeAccountContactRequestOutgoingEnqueued, &AccountContactRequestOutgoingEnqueued{DevicePk: devicePK, GroupPk: contact.PublicKey, Contact: contactPeer, OwnMetadata: []byte("own metadata")}},
		{"AccountContactRequestOutgoingSent", EventType_EventTypeAccountContactRequestOutgoingSent, &AccountContactRequestOutgoingSent{DevicePk: devicePK, ContactPk: peer}},
		{"AccountContactRequestIncomingReceived", EventType_EventTypeAccountContactRequestIncomingReceived, &AccountContactRequestIncomingReceived{DevicePk: devicePK, ContactPk: peer, ContactRendezvousSeed: seed("peer-rdv-seed"), ContactMetadata: []byte("peer metadata")}},
		{"AccountContactRequestIncomingDiscarded", EventType_EventTypeAccountContactRequestIncomingDiscarded, &AccountContactRequestIncomingDiscarded{DevicePk: devicePK, ContactPk: peer}},
		{"AccountContactRequestIncomingAccepted", EventType_EventTypeAccountContactRequestIncomingAccepted, &AccountContactRequestIncomingAccepted{DevicePk: devicePK, ContactPk: peer, GroupPk: contact.PublicKey}},
		{"AccountContactBlocked", EventType_EventTypeAccountContactBlocked, &AccountContactBlocked{DevicePk: devicePK, ContactPk: peer}},
		{"AccountContactUnblocked", EventType_EventTypeAccountContactUnblocked, &AccountContactUnblocked{DevicePk: devicePK, ContactPk: peer}},
	}
	for _, e := range accountEvents {
		sig, _ := signProtoWithDevice(e.msg, device)
		envs = append(envs, envelope(e.name, account, "account", e.et, e.msg, sig, "device"))
	}

	// Berty's app metadata (store_metadata.go SendAppMetadata carrying what berty sends):
	// bertymessenger/api.go MultiMemberGroupCreate → SetGroupInfo with sentDate 0;
	// bertymessenger/service.go sendAccountUserInfo → SetUserInfo with TimestampMs(now).
	for _, a := range appMetadata() {
		app := &GroupMetadataPayloadSent{DevicePk: devicePK, Message: a.bytes}
		sig, _ := signProtoWithDevice(app, device)
		h := envelope("GroupMetadataPayloadSent/"+a.name, multi, "multi", EventType_EventTypeGroupMetadataPayloadSent, app, sig, "device")
		h["appMessage"] = hx(a.bytes)
		h["appType"] = a.name
		h["displayName"] = a.displayName
		h["sentDate"] = a.sentDate
		envs = append(envs, h)
	}

	inputs := H{
		"seedRule": "every seed = SHA-256(\"berty-desktop/go-vectors/\" + label); nonce = first 24 bytes of seed(\"nonce/\" + label)",
		"groups":   H{"multi": groupJSON(multi), "account": groupJSON(account), "contact": groupJSON(contact)},
		"groupSeed": hx(seed("group/multi")), "memberSeed": hx(seed("member")), "memberPk": hx(pub(member)),
		"deviceSeed": hx(seed("device")), "devicePk": hx(devicePK),
		"destMemberSeed": hx(seed("dest-member")), "destMemberPk": hx(pub(destMember)),
		"peerAccountPk": hx(peer), "accountProofPk": hx(pub(key("account-proof"))),
		"deviceChainKey": H{"chainKey": hx(chainKey.ChainKey), "counter": chainKey.Counter, "encoded": hx(mustMarshal(chainKey))},
		"deviceChainKeyBox": hx(encrypted),
	}
	return inputs, envs
}

// --- message envelopes: secret_store_messages.go SealEnvelope = sealEnvelope then deriveDeviceChainKey ---

func messageEnvelopes() []H {
	g, _ := multiMemberGroup()
	device := key("device")
	ds := &DeviceChainKey{ChainKey: seed("device/chain-key"), Counter: 0}
	out := []H{}
	for i := 1; i <= 3; i++ {
		plaintext := []byte(fmt.Sprintf("message %d", i))
		// store_message.go messageStoreAddMessage
		payload := mustMarshal(&EncryptedMessage{Plaintext: plaintext, ProtocolMetadata: &ProtocolMetadata{}})
		n := nonce(fmt.Sprintf("message/%d", i))
		env, err := sealEnvelope(payload, ds, device, g, n)
		must(err)
		nextCK, mk, err := deriveNextKeys(ds.ChainKey, nil, g.PublicKey)
		must(err)
		headers := mustMarshal(&MessageHeaders{Counter: ds.Counter + 1, DevicePk: pub(device), Sig: ed25519.Sign(device, payload)})
		out = append(out, H{
			"chainKeyBefore": hx(ds.ChainKey), "counterBefore": ds.Counter, "counter": ds.Counter + 1,
			"messageKey": hx(mk[:]), "plaintext": hx(plaintext), "encryptedMessage": hx(payload),
			"headers": hx(headers), "headersNonce": hx(n[:]), "envelope": hx(env),
		})
		// deriveDeviceChainKey → preComputeNextKey: {Counter: ds.Counter + 1, ChainKey: newCK}
		ds = &DeviceChainKey{ChainKey: nextCK, Counter: ds.Counter + 1}
	}
	return out
}

type appMeta struct {
	name, displayName string
	sentDate          int64
	bytes             []byte
}

func appMetadata() []appMeta {
	gi, err := AppMessage_TypeSetGroupInfo.MarshalPayload(0, "", &AppMessage_SetGroupInfo{DisplayName: "Climbing club \U0001F9D7"})
	must(err)
	ui, err := AppMessage_TypeSetUserInfo.MarshalPayload(1700000000123, "", &AppMessage_SetUserInfo{DisplayName: "Alice"})
	must(err)
	return []appMeta{
		{"SetGroupInfo", "Climbing club \U0001F9D7", 0, gi},
		{"SetUserInfo", "Alice", 1700000000123, ui},
	}
}

// The first three messages of a device chain as Berty Messenger sends them: AppMessage UserMessage
// (messengertypes.go MarshalPayload, as bertymessenger interactions do) inside weshnet's EncryptedMessage.
func appMessageEnvelopes() []H {
	g, _ := multiMemberGroup()
	device := key("device")
	ds := &DeviceChainKey{ChainKey: seed("device/chain-key"), Counter: 0}
	out := []H{}
	for i := 1; i <= 3; i++ {
		body := fmt.Sprintf("hello %d from Berty \U0001F44B", i)
		sentDate := int64(1700000000000 + i)
		am, err := AppMessage_TypeUserMessage.MarshalPayload(sentDate, "", &AppMessage_UserMessage{Body: body})
		must(err)
		payload := mustMarshal(&EncryptedMessage{Plaintext: am, ProtocolMetadata: &ProtocolMetadata{}})
		n := nonce(fmt.Sprintf("app-message/%d", i))
		env, err := sealEnvelope(payload, ds, device, g, n)
		must(err)
		nextCK, _, err := deriveNextKeys(ds.ChainKey, nil, g.PublicKey)
		must(err)
		out = append(out, H{
			"counter": ds.Counter + 1, "text": body, "sentDate": sentDate, "appMessage": hx(am),
			"encryptedMessage": hx(payload), "headersNonce": hx(n[:]), "envelope": hx(env),
		})
		ds = &DeviceChainKey{ChainKey: nextCK, Counter: ds.Counter + 1}
	}
	return out
}

// --- contact request stream: handshake + sixth frame, both sides real, over in-memory pipes ---

type recorder struct {
	w   io.Writer
	buf bytes.Buffer
}

func (r *recorder) Write(p []byte) (int, error) {
	r.buf.Write(p)
	return r.w.Write(p)
}

func splitFrames(b []byte) []string {
	out := []string{}
	for len(b) > 0 {
		n, k := binary.Uvarint(b)
		out = append(out, hx(b[:k+int(n)]))
		b = b[k+int(n):]
	}
	return out
}

func handshakeTranscript() H {
	requester := key("handshake/requester-account")
	responder := key("handshake/responder-account")
	reqEph := seed("handshake/requester-ephemeral")
	respEph := seed("handshake/responder-ephemeral")
	own := &ShareableContact{Pk: pub(requester), PublicRendezvousSeed: seed("handshake/requester-rdv-seed"), Metadata: []byte("requester metadata")}

	r1, w1 := io.Pipe() // requester → responder
	r2, w2 := io.Pipe() // responder → requester
	toResp := &recorder{w: w1}
	toReq := &recorder{w: w2}
	errc := make(chan error, 1)
	go func() {
		err := sendContactRequest(struct {
			io.Reader
			io.Writer
		}{r2, toResp}, own, requester, pub(responder), bytes.NewReader(reqEph))
		w1.Close()
		errc <- err
	}()
	got, err := handleIncomingRequest(struct {
		io.Reader
		io.Writer
	}{r1, toReq}, responder, bytes.NewReader(respEph))
	must(err)
	must(<-errc)
	if !proto.Equal(got, own) {
		panic("sixth frame mismatch")
	}
	return H{
		"requesterAccountSeed": hx(seed("handshake/requester-account")), "requesterAccountPk": hx(pub(requester)),
		"responderAccountSeed": hx(seed("handshake/responder-account")), "responderAccountPk": hx(pub(responder)),
		"requesterEphemeralSecret": hx(reqEph), "responderEphemeralSecret": hx(respEph),
		"shareableContact":        H{"pk": hx(own.Pk), "publicRendezvousSeed": hx(own.PublicRendezvousSeed), "metadata": hx(own.Metadata), "encoded": hx(mustMarshal(own))},
		"requesterToResponder":    splitFrames(toResp.buf.Bytes()),
		"responderToRequester":    splitFrames(toReq.buf.Bytes()),
		"note": "frames are uvarint-length-prefixed as written (protoio); requesterToResponder = [hello, authenticate, ack, ShareableContact], responderToRequester = [hello, accept]",
	}
}

// --- share links: bertylinks.MarshalLink over 32-byte keys (links_test.go only has 16-byte ones) ---

func shareLinks() []H {
	multi, _ := multiMemberGroup()
	linkKey, err := ComputeLinkKey(multi.PublicKey, multi.Secret)
	must(err)
	contactPk := pub(key("account"))
	cases := []struct {
		name string
		link *BertyLink
	}{
		{"contact", &BertyLink{Kind: BertyLink_ContactInviteV1Kind, BertyId: &BertyID{AccountPk: contactPk, PublicRendezvousSeed: seed("own-rdv-seed"), DisplayName: "Ann / Zoë & co ?#%+"}}},
		{"contact-no-name", &BertyLink{Kind: BertyLink_ContactInviteV1Kind, BertyId: &BertyID{AccountPk: contactPk, PublicRendezvousSeed: seed("own-rdv-seed")}}},
		{"group-link-key-sig", &BertyLink{Kind: BertyLink_GroupV1Kind, BertyGroup: &BertyGroup{DisplayName: "Weekend hike \U0001F3D4", Group: &Group{PublicKey: multi.PublicKey, Secret: multi.Secret, SecretSig: multi.SecretSig, GroupType: GroupType_GroupTypeMultiMember, LinkKeySig: multi.LinkKeySig}}}},
		{"group-no-link-key-sig", &BertyLink{Kind: BertyLink_GroupV1Kind, BertyGroup: &BertyGroup{Group: &Group{PublicKey: multi.PublicKey, Secret: multi.Secret, SecretSig: multi.SecretSig, GroupType: GroupType_GroupTypeMultiMember}}}},
		{"group-sign-pub-link-key", &BertyLink{Kind: BertyLink_GroupV1Kind, BertyGroup: &BertyGroup{DisplayName: "g", Group: &Group{PublicKey: multi.PublicKey, Secret: multi.Secret, SecretSig: multi.SecretSig, GroupType: GroupType_GroupTypeMultiMember, SignPub: pub(ed25519.NewKeyFromSeed(multi.Secret)), LinkKey: linkKey[:], LinkKeySig: multi.LinkKeySig}}}},
	}
	out := []H{}
	for _, c := range cases {
		internal, web, err := MarshalLink(c.link)
		must(err)
		h := H{"name": c.name, "web": web, "internal": internal, "proto": hx(mustMarshal(c.link))}
		if c.link.BertyId != nil {
			h["kind"] = "contact"
			h["accountPk"] = hx(c.link.BertyId.AccountPk)
			h["publicRendezvousSeed"] = hx(c.link.BertyId.PublicRendezvousSeed)
			h["displayName"] = c.link.BertyId.DisplayName
		} else {
			g := c.link.BertyGroup.Group
			h["kind"] = "group"
			h["displayName"] = c.link.BertyGroup.DisplayName
			h["publicKey"] = hx(g.PublicKey)
			h["secret"] = hx(g.Secret)
			h["secretSig"] = hx(g.SecretSig)
			h["signPub"] = hx(g.SignPub)
			h["linkKey"] = hx(g.LinkKey)
			h["linkKeySig"] = hx(g.LinkKeySig)
		}
		out = append(out, h)
	}
	return out
}

func main() {
	if len(os.Args) > 1 {
		os.Exit(peerMode(os.Args[1:])) // responder.go
	}
	inputs, envs := groupEnvelopes()
	out := H{
		"description": "Golden vectors computed by tests/vectors/go (functions copied from berty/weshnet; see tests/vectors/go/README.md). Do not edit: regenerate.",
		"source":      H{"repo": "berty/weshnet", "commit": "d735e1d4f7235c630dfa27d6cf8de4a7ee98fb87", "go": "Debian golang 1.19, google.golang.org/protobuf 1.28.1, protoc 3.21.12, protoc-gen-go 1.28.1"},
		"rendezvousChain":  rendezvousChain(),
		"shareLinks":       shareLinks(),
		"groupInputs":      inputs,
		"groupEnvelopes":   envs,
		"messageEnvelopes": messageEnvelopes(),
		"appMessageEnvelopes": appMessageEnvelopes(),
		"contactRequest":   handshakeTranscript(),
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	must(enc.Encode(out))
}
