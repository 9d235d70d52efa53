// Copied from berty/berty at commit efb07eb4be3802261901b1e173a8c69aa08e2d5d,
// go/pkg/messengertypes/types.go (`AppMessage_Type.MarshalPayload`), unchanged but for the package.
package main

import "google.golang.org/protobuf/proto"

func (x AppMessage_Type) MarshalPayload(sentDate int64, target string, payload proto.Message) ([]byte, error) {
	p, err := proto.Marshal(payload)
	if err != nil {
		return nil, err
	}

	return proto.Marshal(&AppMessage{Type: x, TargetCid: target, Payload: p, SentDate: sentDate})
}
