// internal/handshake/{handshake,request,response}.go of berty/weshnet d735e1d4f7235c630dfa27d6cf8de4a7ee98fb87,
// and the two stream functions of contact_request_manager.go (SendContactRequest, handleIncomingRequest)
// that frame the handshake and add the sixth message (ShareableContact). Edits: ed25519 keys instead of
// go-libp2p's, `box.GenerateKey(crand.Reader)` reads from `ephemeralRand`, tyber/logging removed, the
// libp2p MarshalPublicKey/UnmarshalPublicKey become the crypto.pb PublicKey message they encode.
package main

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"

	"golang.org/x/crypto/nacl/box"
	"google.golang.org/protobuf/proto"
)

var (
	nonceRequesterAuthenticate = [NonceSize]byte{1}
	nonceResponderAccept       = [NonceSize]byte{2}
)

type handshakeContext struct {
	reader          *varintReader
	writer          *varintWriter
	ownAccountID    ed25519.PrivateKey
	peerAccountID   ed25519.PublicKey
	ownEphemeral    *[KeySize]byte
	peerEphemeral   *[KeySize]byte
	sharedEphemeral *[KeySize]byte
	ephemeralRand   io.Reader
}

func marshalPublicKey(pk ed25519.PublicKey) ([]byte, error) {
	t := KeyType_Ed25519
	return proto.Marshal(&PublicKey{Type: &t, Data: pk})
}

func unmarshalPublicKey(b []byte) (ed25519.PublicKey, error) {
	var pk PublicKey
	if err := proto.Unmarshal(b, &pk); err != nil {
		return nil, err
	}
	if pk.GetType() != KeyType_Ed25519 || len(pk.GetData()) != ed25519.PublicKeySize {
		return nil, errors.New("not an ed25519 key")
	}
	return ed25519.PublicKey(pk.GetData()), nil
}

func (hc *handshakeContext) generateOwnEphemeralAndSendPubKey() error {
	ownEphemeralPub, ownEphemeralPriv, err := box.GenerateKey(hc.ephemeralRand)
	if err != nil {
		return err
	}

	hc.ownEphemeral = ownEphemeralPriv

	hello := HelloPayload{EphemeralPubKey: ownEphemeralPub[:]}

	return hc.writer.WriteMsg(&hello)
}

func (hc *handshakeContext) receivePeerEphemeralPubKey() error {
	hello := HelloPayload{}
	if err := hc.reader.ReadMsg(&hello); err != nil {
		return err
	}
	if len(hello.EphemeralPubKey) != KeySize {
		return errors.New("bad ephemeral key size")
	}
	hc.peerEphemeral = &[KeySize]byte{}
	copy(hc.peerEphemeral[:], hello.EphemeralPubKey)
	return nil
}

func (hc *handshakeContext) computeRequesterAuthenticateBoxKey(asRequester bool) (*[KeySize]byte, error) {
	var sharedReqEphemeralRespAccountID [KeySize]byte

	if asRequester {
		var mongPeerAccountID [KeySize]byte
		if err := PublicKeyToCurve25519(&mongPeerAccountID, hc.peerAccountID); err != nil {
			return nil, err
		}
		box.Precompute(&sharedReqEphemeralRespAccountID, &mongPeerAccountID, hc.ownEphemeral)
	} else {
		var mongOwnAccountID [KeySize]byte
		PrivateKeyToCurve25519(&mongOwnAccountID, hc.ownAccountID)
		box.Precompute(&sharedReqEphemeralRespAccountID, hc.peerEphemeral, &mongOwnAccountID)
	}

	return ConcatAndHashSha256(hc.sharedEphemeral[:], sharedReqEphemeralRespAccountID[:]), nil
}

func (hc *handshakeContext) computeResponderAcceptBoxKey() (*[KeySize]byte, error) {
	var sharedAccountID [KeySize]byte

	mongOwnAccountID, mongPeerAccountID, err := EdwardsToMontgomery(hc.ownAccountID, hc.peerAccountID)
	if err != nil {
		return nil, err
	}

	box.Precompute(&sharedAccountID, mongPeerAccountID, mongOwnAccountID)

	return ConcatAndHashSha256(hc.sharedEphemeral[:], sharedAccountID[:]), nil
}

// --- request.go ---

func Request(reader *varintReader, writer *varintWriter, ownAccountID ed25519.PrivateKey, peerAccountID ed25519.PublicKey, ephemeralRand io.Reader) error {
	hc := &handshakeContext{
		reader:          reader,
		writer:          writer,
		ownAccountID:    ownAccountID,
		peerAccountID:   peerAccountID,
		sharedEphemeral: &[KeySize]byte{},
		ephemeralRand:   ephemeralRand,
	}

	// sendRequesterHello
	if err := hc.generateOwnEphemeralAndSendPubKey(); err != nil {
		return fmt.Errorf("requester hello: %w", err)
	}
	// receiveResponderHello
	if err := hc.receivePeerEphemeralPubKey(); err != nil {
		return fmt.Errorf("responder hello: %w", err)
	}
	box.Precompute(hc.sharedEphemeral, hc.peerEphemeral, hc.ownEphemeral)

	// sendRequesterAuthenticate
	var request RequesterAuthenticatePayload
	var err error
	if request.RequesterAccountId, err = marshalPublicKey(hc.ownAccountID.Public().(ed25519.PublicKey)); err != nil {
		return err
	}
	request.RequesterAccountSig = ed25519.Sign(hc.ownAccountID, hc.sharedEphemeral[:])
	requestBytes, err := proto.Marshal(&request)
	if err != nil {
		return err
	}
	boxKey, err := hc.computeRequesterAuthenticateBoxKey(true)
	if err != nil {
		return err
	}
	boxContent := box.SealAfterPrecomputation(nil, requestBytes, &nonceRequesterAuthenticate, boxKey)
	if err = hc.writer.WriteMsg(&BoxEnvelope{Box: boxContent}); err != nil {
		return err
	}

	// receiveResponderAccept
	var boxEnvelope BoxEnvelope
	var response ResponderAcceptPayload
	if err := hc.reader.ReadMsg(&boxEnvelope); err != nil {
		return err
	}
	boxKey, err = hc.computeResponderAcceptBoxKey()
	if err != nil {
		return err
	}
	respBytes, _ := box.OpenAfterPrecomputation(nil, boxEnvelope.Box, &nonceResponderAccept, boxKey)
	if respBytes == nil {
		return errors.New("box opening failed")
	}
	if err = proto.Unmarshal(respBytes, &response); err != nil {
		return err
	}
	if !ed25519.Verify(hc.peerAccountID, hc.sharedEphemeral[:], response.ResponderAccountSig) {
		return errors.New("bad responder signature")
	}

	// sendRequesterAcknowledge
	return hc.writer.WriteMsg(&RequesterAcknowledgePayload{Success: true})
}

// --- response.go ---

func Response(reader *varintReader, writer *varintWriter, ownAccountID ed25519.PrivateKey, ephemeralRand io.Reader) (ed25519.PublicKey, error) {
	hc := &handshakeContext{
		reader:          reader,
		writer:          writer,
		ownAccountID:    ownAccountID,
		sharedEphemeral: &[KeySize]byte{},
		ephemeralRand:   ephemeralRand,
	}

	// receiveRequesterHello
	if err := hc.receivePeerEphemeralPubKey(); err != nil {
		return nil, err
	}
	// sendResponderHello
	if err := hc.generateOwnEphemeralAndSendPubKey(); err != nil {
		return nil, err
	}
	box.Precompute(hc.sharedEphemeral, hc.peerEphemeral, hc.ownEphemeral)

	// receiveRequesterAuthenticate
	var boxEnvelope BoxEnvelope
	var request RequesterAuthenticatePayload
	if err := hc.reader.ReadMsg(&boxEnvelope); err != nil {
		return nil, err
	}
	boxKey, err := hc.computeRequesterAuthenticateBoxKey(false)
	if err != nil {
		return nil, err
	}
	requestBytes, _ := box.OpenAfterPrecomputation(nil, boxEnvelope.Box, &nonceRequesterAuthenticate, boxKey)
	if requestBytes == nil {
		return nil, errors.New("box opening failed")
	}
	if err = proto.Unmarshal(requestBytes, &request); err != nil {
		return nil, err
	}
	if hc.peerAccountID, err = unmarshalPublicKey(request.RequesterAccountId); err != nil {
		return nil, err
	}
	if !ed25519.Verify(hc.peerAccountID, hc.sharedEphemeral[:], request.RequesterAccountSig) {
		return nil, errors.New("bad requester signature")
	}

	// sendResponderAccept
	var response ResponderAcceptPayload
	response.ResponderAccountSig = ed25519.Sign(hc.ownAccountID, hc.sharedEphemeral[:])
	responseBytes, err := proto.Marshal(&response)
	if err != nil {
		return nil, err
	}
	boxKey, err = hc.computeResponderAcceptBoxKey()
	if err != nil {
		return nil, err
	}
	boxContent := box.SealAfterPrecomputation(nil, responseBytes, &nonceResponderAccept, boxKey)
	if err = hc.writer.WriteMsg(&BoxEnvelope{Box: boxContent}); err != nil {
		return nil, err
	}

	// receiveRequesterAcknowledge
	var acknowledge RequesterAcknowledgePayload
	if err := hc.reader.ReadMsg(&acknowledge); err != nil {
		return nil, err
	}
	if !acknowledge.Success {
		return nil, errors.New("not acknowledged")
	}

	return hc.peerAccountID, nil
}

// --- contact_request_manager.go: SendContactRequest / handleIncomingRequest stream parts ---

func sendContactRequest(stream io.ReadWriter, own *ShareableContact, ownAccount ed25519.PrivateKey, otherPK ed25519.PublicKey, ephemeralRand io.Reader) error {
	reader := NewDelimitedReader(stream, 2048)
	writer := NewDelimitedWriter(stream)
	if err := Request(reader, writer, ownAccount, otherPK, ephemeralRand); err != nil {
		return fmt.Errorf("an error occurred during handshake: %w", err)
	}
	// send own contact information
	return writer.WriteMsg(own)
}

func handleIncomingRequest(stream io.ReadWriter, ownAccount ed25519.PrivateKey, ephemeralRand io.Reader) (*ShareableContact, error) {
	reader := NewDelimitedReader(stream, 2048)
	writer := NewDelimitedWriter(stream)
	otherPK, err := Response(reader, writer, ownAccount, ephemeralRand)
	if err != nil {
		return nil, fmt.Errorf("handshake failed: %w", err)
	}
	contact := &ShareableContact{}
	if err := reader.ReadMsg(contact); err != nil {
		return nil, fmt.Errorf("failed to read contact information: %w", err)
	}
	if !bytes.Equal(otherPK, contact.Pk) {
		return nil, fmt.Errorf("contact information does not match handshake data")
	}
	return contact, nil
}
