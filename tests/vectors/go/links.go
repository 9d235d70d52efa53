// Share links as berty/berty builds them. Sources:
//   - MarshalLink (contact and group cases): berty/berty @ efb07eb4be3802261901b1e173a8c69aa08e2d5d,
//     go/pkg/bertylinks/links.go (encrypted/message kinds and IsValid dropped; errcode → errors).
//   - basexEncode: eknkc/basex @ 12c6b85ffd2bcb8ec460d51d92a36897b6182ac1, basex.go `(*Encoding).Encode`
//     (the QR alphabet is links.go's `qrBaseEncoder`).
//   - base58Encode: mr-tron/base58 @ 2739bbab71257d432e64bb34fdabbe2a117824bf, base58.go
//     `FastBase58EncodingAlphabet` with the Bitcoin alphabet (its `Alphabet` type inlined as a string).
package main

import (
	"errors"
	"net/url"

	"google.golang.org/protobuf/proto"
)

const (
	LinkWebPrefix      = "https://berty.tech/id#"
	LinkInternalPrefix = "BERTY://"
	qrAlphabet         = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789$*-.:/"
	btcAlphabet        = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
)

func basexEncode(alphabet []rune, source []byte) string {
	base := len(alphabet)
	if len(source) == 0 {
		return ""
	}

	digits := []int{0}

	for i := 0; i < len(source); i++ {
		carry := int(source[i])

		for j := 0; j < len(digits); j++ {
			carry += digits[j] << 8
			digits[j] = carry % base
			carry = carry / base
		}

		for carry > 0 {
			digits = append(digits, carry%base)
			carry = carry / base
		}
	}

	result := ""

	for k := 0; source[k] == 0 && k < len(source)-1; k++ {
		result += string(alphabet[0])
	}

	for q := len(digits) - 1; q >= 0; q-- {
		result += string(alphabet[digits[q]])
	}

	return result
}

func base58Encode(bin []byte) string {
	encode := []byte(btcAlphabet)
	zero := encode[0]

	binsz := len(bin)
	var i, j, zcount, high int
	var carry uint32

	for zcount < binsz && bin[zcount] == 0 {
		zcount++
	}

	size := (binsz-zcount)*138/100 + 1
	var buf = make([]byte, size)

	high = size - 1
	for i = zcount; i < binsz; i++ {
		j = size - 1
		for carry = uint32(bin[i]); j > high || carry != 0; j-- {
			carry = carry + 256*uint32(buf[j])
			buf[j] = byte(carry % 58)
			carry /= 58
		}
		high = j
	}

	for j = 0; j < size && buf[j] == 0; j++ {
	}

	var b58 = make([]byte, size-j+zcount)

	if zcount != 0 {
		for i = 0; i < zcount; i++ {
			b58[i] = zero
		}
	}

	for i = zcount; j < size; i++ {
		b58[i] = encode[buf[j]]
		j++
	}

	return string(b58)
}

func MarshalLink(link *BertyLink) (internal string, web string, err error) {
	var (
		kind        string
		machine     = &BertyLink{}
		human       = url.Values{}
		qrOptimized *BertyLink
	)

	switch link.Kind {
	case BertyLink_ContactInviteV1Kind:
		kind = "contact"
		machine.BertyId = &BertyID{
			PublicRendezvousSeed: link.BertyId.PublicRendezvousSeed,
			AccountPk:            link.BertyId.AccountPk,
		}
		if link.BertyId.DisplayName != "" {
			human.Add("name", link.BertyId.DisplayName)
		}
		qrOptimized = proto.Clone(link).(*BertyLink)
	case BertyLink_GroupV1Kind:
		kind = "group"
		machine.BertyGroup = &BertyGroup{
			Group: &Group{
				PublicKey:  link.BertyGroup.Group.PublicKey,
				Secret:     link.BertyGroup.Group.Secret,
				SecretSig:  link.BertyGroup.Group.SecretSig,
				GroupType:  link.BertyGroup.Group.GroupType,
				SignPub:    link.BertyGroup.Group.SignPub,
				LinkKeySig: link.BertyGroup.Group.LinkKeySig,
			},
		}
		if link.BertyGroup.DisplayName != "" {
			human.Add("name", link.BertyGroup.DisplayName)
		}
		qrOptimized = proto.Clone(link).(*BertyLink)
	default:
		return "", "", errors.New("invalid input")
	}

	{
		machineBin, err := proto.Marshal(machine)
		if err != nil {
			return "", "", err
		}
		machineEncoded := base58Encode(machineBin)
		path := kind + "/" + machineEncoded
		if len(human) > 0 {
			path += "/" + human.Encode()
		}
		web = LinkWebPrefix + path
	}

	{
		qrBin, err := proto.Marshal(qrOptimized)
		if err != nil {
			return "", "", err
		}
		internal = LinkInternalPrefix + "PB/" + basexEncode([]rune(qrAlphabet), qrBin)
	}

	return internal, web, nil
}
