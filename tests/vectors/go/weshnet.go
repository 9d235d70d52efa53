// Functions copied from berty/weshnet at commit d735e1d4f7235c630dfa27d6cf8de4a7ee98fb87 (and
// berty/berty efb07eb4be3802261901b1e173a8c69aa08e2d5d where noted), each cited by path. The only edits:
// go-libp2p's crypto.PrivKey/PubKey become Go's ed25519 keys (same bytes: go-libp2p's Ed25519 Sign is
// ed25519.Sign, Raw() of a public key is the 32 raw bytes), errcode wrapping is dropped, and every
// random source (nonces, ephemeral keys) is a parameter so fixed inputs give fixed bytes.
package main

import (
	"bufio"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"

	"filippo.io/edwards25519"
	"golang.org/x/crypto/hkdf"
	"golang.org/x/crypto/nacl/box"
	"golang.org/x/crypto/nacl/secretbox"
	"golang.org/x/crypto/sha3"
	"google.golang.org/protobuf/proto"
)

// --- pkg/rendezvous/rendezvous.go ---------------------------------------------------------------

const DefaultRotationInterval = time.Hour * 24

func RoundTimePeriod(date time.Time, interval time.Duration) time.Time {
	if interval < 0 {
		interval = -interval
	}

	intervalSeconds := int64(interval.Seconds())

	periodsElapsed := date.Unix() / intervalSeconds
	totalTime := periodsElapsed * intervalSeconds

	return time.Unix(totalTime, 0).In(date.Location())
}

func GenerateRendezvousPointForPeriod(topic, seed []byte, date time.Time) []byte {
	buf := make([]byte, 8)
	mac := hmac.New(sha256.New, append(topic, seed...))
	binary.BigEndian.PutUint64(buf, uint64(date.Unix()))

	mac.Write(buf) //nolint:errcheck
	sum := mac.Sum(nil)

	return sum
}

// --- pkg/cryptoutil/cryptoutil.go ---------------------------------------------------------------

const (
	KeySize   = 32
	NonceSize = 24
)

func ConcatAndHashSha256(slices ...[]byte) *[sha256.Size]byte {
	var concat []byte

	for _, slice := range slices {
		concat = append(concat, slice...)
	}
	checksum := sha256.Sum256(concat)

	return &checksum
}

func PublicKeyToCurve25519(ret *[32]byte, publicKey ed25519.PublicKey) error {
	point, err := edwards25519.NewGeneratorPoint().SetBytes(publicKey)
	if err != nil {
		return fmt.Errorf("unable to generate point from publicKey: %w", err)
	}

	copy(ret[:], point.BytesMontgomery())
	return nil
}

func PrivateKeyToCurve25519(ret *[32]byte, privateKey ed25519.PrivateKey) {
	h := sha512.New()
	h.Write(privateKey.Seed())
	copy(ret[:], h.Sum(nil))

	ret[0] &= 248
	ret[31] &= 127
	ret[31] |= 64
}

func EdwardsToMontgomery(privKey ed25519.PrivateKey, pubKey ed25519.PublicKey) (*[32]byte, *[32]byte, error) {
	var mongPriv, mongPub [KeySize]byte
	PrivateKeyToCurve25519(&mongPriv, privKey)
	if err := PublicKeyToCurve25519(&mongPub, pubKey); err != nil {
		return nil, nil, err
	}
	return &mongPriv, &mongPub, nil
}

// --- pkg/protocoltypes/group.go -----------------------------------------------------------------

func ComputeLinkKey(publicKey, secret []byte) (*[KeySize]byte, error) {
	arr := [KeySize]byte{}

	kdf := hkdf.New(sha3.New256, secret, nil, publicKey)
	if _, err := io.ReadFull(kdf, arr[:]); err != nil {
		return nil, err
	}

	return &arr, nil
}

func GetSharedSecret(m *Group) *[KeySize]byte {
	sharedSecret := [KeySize]byte{}
	copy(sharedSecret[:], m.GetSecret())

	return &sharedSecret
}

// --- events.go (sealGroupEnvelope; nonce made a parameter) --------------------------------------

func sealGroupEnvelope(g *Group, eventType EventType, payload proto.Message, payloadSig []byte, nonce *[NonceSize]byte) ([]byte, error) {
	payloadBytes, err := proto.Marshal(payload)
	if err != nil {
		return nil, err
	}

	event := &GroupMetadata{
		EventType:        eventType,
		Payload:          payloadBytes,
		Sig:              payloadSig,
		ProtocolMetadata: &ProtocolMetadata{},
	}

	eventClearBytes, err := proto.Marshal(event)
	if err != nil {
		return nil, err
	}

	eventBytes := secretbox.Seal(nil, eventClearBytes, nonce, GetSharedSecret(g))

	env := &GroupEnvelope{
		Event: eventBytes,
		Nonce: nonce[:],
	}

	return proto.Marshal(env)
}

// --- store_metadata.go ----------------------------------------------------------------------------

func signProtoWithDevice(message proto.Message, device ed25519.PrivateKey) ([]byte, error) {
	data, err := proto.Marshal(message)
	if err != nil {
		return nil, err
	}
	return ed25519.Sign(device, data), nil
}

// signProtoWithPrivateKey is the same construction with the group key (ClaimGroupOwnership).
func signProtoWithPrivateKey(message proto.Message, sk ed25519.PrivateKey) ([]byte, error) {
	return signProtoWithDevice(message, sk)
}

// --- pkg/secretstore/chain_key.go -----------------------------------------------------------------

func encryptDeviceChainKey(localDevicePrivateKey ed25519.PrivateKey, remoteMemberPubKey ed25519.PublicKey, deviceChainKey *DeviceChainKey, group *Group) ([]byte, error) {
	chainKeyBytes, err := proto.Marshal(deviceChainKey)
	if err != nil {
		return nil, err
	}

	mongPriv, mongPub, err := EdwardsToMontgomery(localDevicePrivateKey, remoteMemberPubKey)
	if err != nil {
		return nil, err
	}

	nonce := groupIDToNonce(group)
	encryptedChainKey := box.Seal(nil, chainKeyBytes, nonce, mongPub, mongPriv)

	return encryptedChainKey, nil
}

func groupIDToNonce(group *Group) *[NonceSize]byte {
	var nonce [NonceSize]byte

	gid := group.GetPublicKey()

	copy(nonce[:], gid)

	return &nonce
}

// --- pkg/secretstore/secret_store_messages.go (sealEnvelope: nonce made a parameter) ------------

func sealPayload(payload []byte, ds *DeviceChainKey, devicePrivateKey ed25519.PrivateKey, g *Group) ([]byte, []byte, error) {
	var (
		msgKey [32]byte
		err    error
	)

	sig := ed25519.Sign(devicePrivateKey, payload)

	if _, msgKey, err = deriveNextKeys(ds.ChainKey, nil, g.GetPublicKey()); err != nil {
		return nil, nil, err
	}

	return secretbox.Seal(nil, payload, uint64AsNonce(ds.Counter+1), &msgKey), sig, nil
}

func sealEnvelope(messagePayload []byte, deviceChainKey *DeviceChainKey, devicePrivateKey ed25519.PrivateKey, g *Group, nonce *[NonceSize]byte) ([]byte, error) {
	encryptedPayload, sig, err := sealPayload(messagePayload, deviceChainKey, devicePrivateKey, g)
	if err != nil {
		return nil, err
	}

	devicePublicKeyRaw := devicePrivateKey.Public().(ed25519.PublicKey)

	h := &MessageHeaders{
		Counter:  deviceChainKey.Counter + 1,
		DevicePk: devicePublicKeyRaw,
		Sig:      sig,
	}

	headers, err := proto.Marshal(h)
	if err != nil {
		return nil, err
	}

	encryptedHeaders := secretbox.Seal(nil, headers, nonce, GetSharedSecret(g))

	return proto.Marshal(&MessageEnvelope{
		MessageHeaders: encryptedHeaders,
		Message:        encryptedPayload,
		Nonce:          nonce[:],
	})
}

func deriveNextKeys(chainKeyValue []byte, salt []byte, groupID []byte) ([]byte, [32]byte, error) {
	var nextMsg [32]byte

	hash := sha256.New

	prk := hkdf.Extract(hash, chainKeyValue, salt)
	if len(prk) == 0 {
		return nil, nextMsg, errors.New("unable to instantiate pseudo random key")
	}

	kdf := hkdf.Expand(hash, prk, groupID)

	nextCK, err := io.ReadAll(io.LimitReader(kdf, 32))
	if err != nil {
		return nil, nextMsg, err
	}

	nextMsgSlice, err := io.ReadAll(io.LimitReader(kdf, 32))
	if err != nil {
		return nil, nextMsg, err
	}

	copy(nextMsg[:], nextMsgSlice)

	return nextCK, nextMsg, nil
}

func uint64AsNonce(val uint64) *[24]byte {
	var nonce [24]byte

	binary.BigEndian.PutUint64(nonce[:], val)

	return &nonce
}

// --- pkg/protoio/varint.go (fallback path of WriteMsg; ReadMsg) -----------------------------------

type varintWriter struct {
	w      io.Writer
	lenBuf []byte
}

func NewDelimitedWriter(w io.Writer) *varintWriter {
	return &varintWriter{w, make([]byte, binary.MaxVarintLen64)}
}

func (writer *varintWriter) WriteMsg(msg proto.Message) (err error) {
	data, err := proto.Marshal(msg)
	if err != nil {
		return err
	}
	length := uint64(len(data))
	n := binary.PutUvarint(writer.lenBuf, length)
	_, err = writer.w.Write(writer.lenBuf[:n])
	if err != nil {
		return err
	}
	_, err = writer.w.Write(data)
	return err
}

type varintReader struct {
	r       *bufio.Reader
	buf     []byte
	maxSize int
}

func NewDelimitedReader(r io.Reader, maxSize int) *varintReader {
	return &varintReader{bufio.NewReader(r), nil, maxSize}
}

func (reader *varintReader) ReadMsg(msg proto.Message) error {
	length64, err := binary.ReadUvarint(reader.r)
	if err != nil {
		return err
	}
	length := int(length64)
	if length < 0 || length > reader.maxSize {
		return io.ErrShortBuffer
	}
	if len(reader.buf) < length {
		reader.buf = make([]byte, length)
	}
	buf := reader.buf[:length]
	if _, err := io.ReadFull(reader.r, buf); err != nil {
		return err
	}
	return proto.Unmarshal(buf, msg)
}
