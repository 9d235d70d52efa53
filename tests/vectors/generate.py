#!/usr/bin/python3
"""
Known-answer vectors for core/crypto and core/protocol/contact-request, computed with libraries that
share no code with the TypeScript implementation: libsodium (via Debian's python3-nacl bindings),
OpenSSL (via pyca/cryptography and the stdlib hashlib/hmac). Every construction pins a line of
/work/shared/PROTOCOL.md; see README.md in this folder for the map.

Run with Debian's interpreter (the pyenv `python3` lacks these packages):

    apt-get install -y python3-nacl python3-cryptography
    /usr/bin/python3 tests/vectors/generate.py

Inputs are deterministic (SHA-256 of labels), so re-running produces identical files.
"""
import hashlib
import hmac
import json
import os
import struct

import nacl.bindings as sodium
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF, HKDFExpand
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from cryptography.exceptions import InvalidSignature

OUT = os.path.dirname(os.path.abspath(__file__))


def h(b: bytes) -> str:
    return b.hex()


def label(s: str, n: int = 32) -> bytes:
    """Deterministic test input: SHA-256 of a label, repeated/truncated to n bytes."""
    out = b""
    i = 0
    while len(out) < n:
        out += hashlib.sha256(f"{s}#{i}".encode() if i else s.encode()).digest()
        i += 1
    return out[:n]


def u64be(n: int) -> bytes:
    return struct.pack(">Q", n)


def write(name: str, description: str, pins: str, vectors):
    doc = {
        "description": description,
        "pins": pins,
        "generator": "tests/vectors/generate.py (libsodium via python3-nacl %s, OpenSSL via pyca/cryptography)"
        % __import__("nacl").__version__,
        "vectors": vectors,
    }
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")


# --- primitives, each computed by libsodium and cross-checked with OpenSSL where both exist -------------


def ed_pub(seed: bytes) -> bytes:
    pk, _sk = sodium.crypto_sign_seed_keypair(seed)
    assert pk == Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return pk


def ed_sign(seed: bytes, msg: bytes) -> bytes:
    _pk, sk = sodium.crypto_sign_seed_keypair(seed)
    sig = sodium.crypto_sign(msg, sk)[:64]
    assert sig == Ed25519PrivateKey.from_private_bytes(seed).sign(msg)
    return sig


def ed_verify(pk: bytes, msg: bytes, sig: bytes) -> bool:
    try:
        sodium.crypto_sign_open(sig + msg, pk)
        ok_sodium = True
    except Exception:
        ok_sodium = False
    try:
        Ed25519PublicKey.from_public_bytes(pk).verify(sig, msg)
        ok_openssl = True
    except (InvalidSignature, ValueError):
        ok_openssl = False
    assert ok_sodium == ok_openssl, (h(pk), h(sig))
    return ok_sodium


def mont_sk(seed: bytes) -> bytes:
    """mont(edSk): libsodium crypto_sign_ed25519_sk_to_curve25519 (takes the 64-byte seed||pk form)."""
    _pk, sk = sodium.crypto_sign_seed_keypair(seed)
    out = sodium.crypto_sign_ed25519_sk_to_curve25519(sk)
    # Independent re-derivation: clamp(sha512(seed)[0:32]).
    d = bytearray(hashlib.sha512(seed).digest()[:32])
    d[0] &= 248
    d[31] = (d[31] & 127) | 64
    assert out == bytes(d)
    return out


def mont_pk(pk: bytes) -> bytes:
    return sodium.crypto_sign_ed25519_pk_to_curve25519(pk)


def x25519(sk: bytes, pk: bytes) -> bytes:
    out = sodium.crypto_scalarmult(sk, pk)
    assert out == X25519PrivateKey.from_private_bytes(sk).exchange(X25519PublicKey.from_public_bytes(pk))
    return out


def x25519_pub(sk: bytes) -> bytes:
    out = sodium.crypto_scalarmult_base(sk)
    assert out == X25519PrivateKey.from_private_bytes(sk).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return out


def beforenm(their_pk: bytes, my_sk: bytes) -> bytes:
    return sodium.crypto_box_beforenm(their_pk, my_sk)


def secretbox(key: bytes, nonce: bytes, pt: bytes) -> bytes:
    # libsodium crypto_secretbox_easy layout: tag(16) || ciphertext
    return sodium.crypto_secretbox(pt, nonce, key)


def secretbox_open(key: bytes, nonce: bytes, ct: bytes) -> bytes:
    return sodium.crypto_secretbox_open(ct, nonce, key)


def hkdf_sha256(ikm: bytes, info, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=info).derive(ikm)


def hkdf_sha3_256(ikm: bytes, info, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA3_256(), length=length, salt=None, info=info).derive(ikm)


# --- PROTOCOL.md constructions ----------------------------------------------------------------------------


def rendezvous_point(topic: bytes, seed: bytes, period_start: int) -> bytes:
    return hmac.new(topic + seed, u64be(period_start), hashlib.sha256).digest()


def ratchet(chain_key: bytes, group_pk: bytes):
    # Written as the two named HKDF halves of PROTOCOL.md "Symmetric ratchet".
    prk = hmac.new(b"\x00" * 32, chain_key, hashlib.sha256).digest()  # Extract, salt = none
    okm = HKDFExpand(algorithm=hashes.SHA256(), length=64, info=group_pk).derive(prk)
    assert okm == hkdf_sha256(chain_key, group_pk, 64)
    return okm[:32], okm[32:]


def message_nonce(counter: int) -> bytes:
    return u64be(counter) + b"\x00" * 16


def contact_group(own_seed: bytes, peer_pk: bytes):
    s = x25519(mont_sk(own_seed), mont_pk(peer_pk))
    pair = s + ed_pub(s)
    okm = hkdf_sha256(pair, None, 64)
    return {"groupSeed": okm[:32], "groupPk": ed_pub(okm[:32]), "groupSecret": okm[32:]}


def member_key(proof_seed: bytes, group_pk: bytes):
    member_seed = x25519(mont_sk(proof_seed), mont_pk(group_pk))
    return member_seed, ed_pub(member_seed)


def link_key(secret: bytes, group_pk: bytes) -> bytes:
    return hkdf_sha3_256(secret, group_pk, 32)


# --- protobuf (hand-rolled, proto3 wire format; mirrors weshnet internal/handshake/handshake.proto) ---------


def varint(n: int) -> bytes:
    out = b""
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def pb_bytes(field: int, value: bytes) -> bytes:
    return varint((field << 3) | 2) + varint(len(value)) + value if value else b""


def pb_bool(field: int, value: bool) -> bytes:
    return varint(field << 3) + b"\x01" if value else b""


def libp2p_ed25519_pub(pk: bytes) -> bytes:
    # libp2p crypto.MarshalPublicKey: PublicKey{Type = Ed25519 (1), Data = pk}
    return varint(1 << 3) + varint(1) + pb_bytes(2, pk)


def delimited(msg: bytes) -> bytes:
    # gogo protoio DelimitedWriter: uvarint(len) || msg
    return varint(len(msg)) + msg


# --- files ------------------------------------------------------------------------------------------------


def gen_rendezvous():
    vecs = []
    for i, (t_label, unix, interval) in enumerate(
        [
            ("account-a", 1586520000, 86400),
            ("account-a", 1586606399, 86400),
            ("account-a", 1586606400, 86400),
            ("account-b", 0, 86400),
            ("group-c", 1700000123, 3600),
            ("group-c", 4102444800, 86400),
        ]
    ):
        topic = label("rdv-topic:" + t_label)
        seed = label("rdv-seed:%d" % (i % 3))
        start = (unix // interval) * interval
        vecs.append(
            {
                "topic": h(topic),
                "seed": h(seed),
                "unixSeconds": unix,
                "intervalSeconds": interval,
                "periodStart": start,
                "point": h(rendezvous_point(topic, seed, start)),
            }
        )
    write(
        "rendezvous.json",
        "Rendezvous points: point = HMAC-SHA256(key = topic || seed, msg = u64be(periodStart)), "
        "periodStart = floor(unixSeconds / interval) * interval. Computed with Python stdlib hmac/hashlib (OpenSSL).",
        "PROTOCOL.md 'Rendezvous point'",
        vecs,
    )


def gen_rendezvous_go():
    # Published by the reference implementation: berty/berty go/internal/rendezvous/rendezvous_test.go
    # (TestGenerateRendezvousPointForPeriod). Seeds there are short ASCII strings, not 32-byte seeds.
    base_a = 1586520000  # 2020-04-10T12:00:00Z
    base_b = 1586523600  # 2020-04-10T13:00:00Z
    cases = [
        (b"topicA", b"seedA", base_a, "8b7fdc831ca90f78995f32d8b9cf7bc8682a7fc250fe13a9b7c5c0851a3b8cbc"),
        (b"topicA", b"seedA", base_b, "ec86e0cb471195733ebbeb04277aafcfc60a19c09195cf04e60b50857465c27f"),
        (b"topicA", b"seedB", base_a, "f87f5dfc4e8a68be75d6008ab3aa0a4295b6049e9ec21f03d0c1410895171683"),
        (b"topicB", b"seedA", base_a, "6350bd507198a9acb816dcadae8c5c6ff6c96ee6c9606c8ebe15c1f645ac4c4e"),
    ]
    vecs = []
    for topic, seed, t, expected in cases:
        got = h(rendezvous_point(topic, seed, t))
        assert got == expected, ("reference vector mismatch", topic, seed, t, got)
        vecs.append({"topic": h(topic), "seed": h(seed), "periodStart": t, "point": expected})
    write(
        "rendezvous-go.json",
        "Rendezvous vectors copied verbatim from the Go reference implementation's test "
        "(berty/berty go/internal/rendezvous/rendezvous_test.go, TestGenerateRendezvousPointForPeriod, "
        "commit d44bb6a9f92b82bd807b043a3c5ad6bc66059311); re-checked here with stdlib hmac.",
        "PROTOCOL.md 'Rendezvous point' (interop with weshnet/berty Go)",
        vecs,
    )


def gen_ratchet():
    vecs = []
    for chain in range(3):
        group_pk = ed_pub(label("ratchet-group:%d" % chain))
        ck = label("ratchet-chain:%d" % chain)
        steps = []
        for counter in range(5):
            nxt, mk = ratchet(ck, group_pk)
            steps.append({"counter": counter, "chainKey": h(ck), "nextChainKey": h(nxt), "messageKey": h(mk)})
            ck = nxt
        vecs.append({"groupPk": h(group_pk), "steps": steps})
    write(
        "ratchet.json",
        "Symmetric ratchet: prk = HKDF-Extract(SHA-256, chainKey, salt none); okm = HKDF-Expand(prk, info = groupPk, 64); "
        "nextChainKey = okm[0:32], messageKey = okm[32:64]. Each step's nextChainKey is the next step's chainKey. "
        "Computed with stdlib hmac (extract) and pyca/cryptography HKDFExpand, cross-checked with HKDF.",
        "PROTOCOL.md 'Symmetric ratchet'",
        vecs,
    )


def gen_message_body():
    vecs = []
    for i, (counter, pt) in enumerate(
        [
            (0, b""),
            (1, b"hello berty"),
            (255, label("body:2", 1024)),
            (2**32 + 7, b"\x00" * 33),
            (2**53 - 1, b"max safe counter"),
        ]
    ):
        mk = label("message-key:%d" % i)
        nonce = message_nonce(counter)
        ct = secretbox(mk, nonce, pt)
        assert secretbox_open(mk, nonce, ct) == pt
        vecs.append({"messageKey": h(mk), "counter": counter, "nonce": h(nonce), "plaintext": h(pt), "ciphertext": h(ct)})
    write(
        "message-body.json",
        "Message body: XSalsa20-Poly1305 (libsodium crypto_secretbox_easy, tag || ciphertext), nonce = u64be(counter) || 16 zero bytes.",
        "PROTOCOL.md 'Symmetric ratchet' (Message body)",
        vecs,
    )


def gen_keys():
    vecs = []
    msgs = [b"", b"abc", label("ed-msg:2", 100), label("ed-msg:3", 1500)]
    for i in range(4):
        seed = label("ed-seed:%d" % i)
        pk = ed_pub(seed)
        sigs = []
        for m in msgs:
            sig = ed_sign(seed, m)
            assert ed_verify(pk, m, sig)
            sigs.append({"msg": h(m), "sig": h(sig)})
        vecs.append(
            {
                "seed": h(seed),
                "publicKey": h(pk),
                "x25519Secret": h(mont_sk(seed)),
                "x25519Public": h(mont_pk(pk)),
                "x25519PublicFromSecret": h(x25519_pub(mont_sk(seed))),
                "signatures": sigs,
            }
        )
        # The two conversions commute with key derivation: mont(pk) == X25519 base point * mont(sk).
        assert mont_pk(pk) == x25519_pub(mont_sk(seed))
    write(
        "keys.json",
        "Ed25519 (libsodium crypto_sign_seed_keypair / crypto_sign, cross-checked with OpenSSL) and the Edwards->Montgomery "
        "conversions mont(edSk) = crypto_sign_ed25519_sk_to_curve25519, mont(edPk) = crypto_sign_ed25519_pk_to_curve25519.",
        "PROTOCOL.md 'Notation' (mont) and 'Keys'",
        vecs,
    )


def gen_x25519():
    vecs = []
    for i in range(4):
        a = label("x-secret-a:%d" % i)
        b = label("x-secret-b:%d" % i)
        apk, bpk = x25519_pub(a), x25519_pub(b)
        s = x25519(a, bpk)
        assert s == x25519(b, apk)
        vecs.append({"secretA": h(a), "publicA": h(apk), "secretB": h(b), "publicB": h(bpk), "shared": h(s)})
    # RFC 7748 section 6.1 test vector, included as an external anchor.
    rfc = {
        "secretA": "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
        "publicA": "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
        "secretB": "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
        "publicB": "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
        "shared": "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742",
    }
    assert h(x25519(bytes.fromhex(rfc["secretA"]), bytes.fromhex(rfc["publicB"]))) == rfc["shared"]
    vecs.append(rfc)
    write(
        "x25519.json",
        "Raw X25519 (libsodium crypto_scalarmult, cross-checked with OpenSSL); last entry is RFC 7748 section 6.1.",
        "PROTOCOL.md 'Notation' (X25519)",
        vecs,
    )


def gen_box():
    vecs = []
    for i, pt in enumerate([b"", b"chain key entry", label("box-pt:2", 300)]):
        sa, sb = label("box-a:%d" % i), label("box-b:%d" % i)
        pa, pb = x25519_pub(sa), x25519_pub(sb)
        k = beforenm(pb, sa)
        assert k == beforenm(pa, sb)
        nonce = label("box-nonce:%d" % i, 24)
        ct = sodium.crypto_box(pt, nonce, pb, sa)
        assert ct == secretbox(k, nonce, pt)
        vecs.append(
            {
                "secretA": h(sa),
                "publicA": h(pa),
                "secretB": h(sb),
                "publicB": h(pb),
                "beforenm": h(k),
                "nonce": h(nonce),
                "plaintext": h(pt),
                "ciphertext": h(ct),
            }
        )
    sec = []
    for i, pt in enumerate([b"", b"secretbox", label("sb-pt:2", 200)]):
        key, nonce = label("sb-key:%d" % i), label("sb-nonce:%d" % i, 24)
        sec.append({"key": h(key), "nonce": h(nonce), "plaintext": h(pt), "ciphertext": h(secretbox(key, nonce, pt))})
    write(
        "box.json",
        "NaCl box: beforenm = libsodium crypto_box_beforenm (HSalsa20 of the X25519 output, zero nonce), box = crypto_box_easy "
        "(secretbox with the beforenm key, tag || ciphertext). 'secretbox' lists plain crypto_secretbox_easy vectors.",
        "PROTOCOL.md 'Secret (chain key) entries' and 'Contact request handshake' (k(x, Y))",
        {"box": vecs, "secretbox": sec},
    )


def gen_contact_group():
    vecs = []
    for i in range(3):
        a_seed, b_seed = label("contact-a:%d" % i), label("contact-b:%d" % i)
        a_pk, b_pk = ed_pub(a_seed), ed_pub(b_seed)
        g = contact_group(a_seed, b_pk)
        assert g == contact_group(b_seed, a_pk)
        vecs.append(
            {
                "seedA": h(a_seed),
                "publicA": h(a_pk),
                "seedB": h(b_seed),
                "publicB": h(b_pk),
                "groupSeed": h(g["groupSeed"]),
                "groupPk": h(g["groupPk"]),
                "groupSecret": h(g["groupSecret"]),
            }
        )
    write(
        "contact-group.json",
        "Contact group: s = X25519(mont(ownSK), mont(peerPK)) (libsodium); pair = s || ed25519pub(s); "
        "okm = HKDF-SHA256(pair, salt none, info none, 64) (pyca/cryptography); groupSeed = okm[0:32], "
        "groupPk = ed25519pub(groupSeed), groupSecret = okm[32:64]. Checked symmetric (A,B) == (B,A).",
        "PROTOCOL.md 'Groups' -> 'Contact group'",
        vecs,
    )


def gen_member_key():
    vecs = []
    for i in range(3):
        proof = label("proof-seed:%d" % i)
        gpk = ed_pub(label("mm-group:%d" % i))
        ms, mpk = member_key(proof, gpk)
        vecs.append({"accountProofSeed": h(proof), "groupPk": h(gpk), "memberSeed": h(ms), "memberPk": h(mpk)})
    write(
        "member-key.json",
        "Member key: memberSeed = X25519(mont(accountProofSK), mont(groupPK)) (libsodium), memberPk = ed25519pub(memberSeed).",
        "PROTOCOL.md 'Groups' -> 'Multi-member group' (Member key)",
        vecs,
    )


def gen_link_key():
    vecs = []
    for i in range(3):
        gsecret = label("group-secret:%d" % i)
        gseed = label("group-key:%d" % i)
        gpk = ed_pub(gseed)
        lk = link_key(gsecret, gpk)
        sign_pub = ed_pub(gsecret)
        vecs.append(
            {
                "groupSecret": h(gsecret),
                "groupSeed": h(gseed),
                "groupPk": h(gpk),
                "linkKey": h(lk),
                "linkKeySig": h(ed_sign(gseed, lk)),
                "signPub": h(sign_pub),
            }
        )
    write(
        "link-key.json",
        "Link key = HKDF-SHA3-256(IKM = secret, salt none, info = groupPK)[0:32] (pyca/cryptography, SHA3_256); "
        "linkKeySig = Ed25519 sign(groupSK, linkKey); signPub = Ed25519 pub of seed = secret (group signing key).",
        "PROTOCOL.md 'Groups' -> 'Link key' and 'Group signing key'",
        vecs,
    )


def handshake_transcript(i: int):
    A_seed, B_seed = label("hs-account-A:%d" % i), label("hs-account-B:%d" % i)
    A_pk, B_pk = ed_pub(A_seed), ed_pub(B_seed)
    a_sk, b_sk = label("hs-ephemeral-a:%d" % i), label("hs-ephemeral-b:%d" % i)
    a_pk, b_pk = x25519_pub(a_sk), x25519_pub(b_sk)

    k_ab = beforenm(b_pk, a_sk)
    assert k_ab == beforenm(a_pk, b_sk)
    k_aB = beforenm(mont_pk(B_pk), a_sk)
    assert k_aB == beforenm(a_pk, mont_sk(B_seed))
    k_AB = beforenm(mont_pk(B_pk), mont_sk(A_seed))
    assert k_AB == beforenm(mont_pk(A_pk), mont_sk(B_seed))

    auth_key = hashlib.sha256(k_ab + k_aB).digest()
    accept_key = hashlib.sha256(k_ab + k_AB).digest()
    nonce_auth = b"\x01" + b"\x00" * 23
    nonce_accept = b"\x02" + b"\x00" * 23

    hello_a = pb_bytes(1, a_pk)  # HelloPayload{ephemeral_pub_key}
    hello_b = pb_bytes(1, b_pk)
    sig_A = ed_sign(A_seed, k_ab)
    auth_payload = pb_bytes(1, libp2p_ed25519_pub(A_pk)) + pb_bytes(2, sig_A)  # RequesterAuthenticatePayload
    auth_box = secretbox(auth_key, nonce_auth, auth_payload)
    auth_msg = pb_bytes(1, auth_box)  # BoxEnvelope{box}
    sig_B = ed_sign(B_seed, k_ab)
    accept_payload = pb_bytes(1, sig_B)  # ResponderAcceptPayload
    accept_box = secretbox(accept_key, nonce_accept, accept_payload)
    accept_msg = pb_bytes(1, accept_box)
    ack_msg = pb_bool(1, True)  # RequesterAcknowledgePayload{success}

    return {
        "requesterAccountSeed": h(A_seed),
        "requesterAccountPk": h(A_pk),
        "responderAccountSeed": h(B_seed),
        "responderAccountPk": h(B_pk),
        "requesterEphemeralSecret": h(a_sk),
        "requesterEphemeralPk": h(a_pk),
        "responderEphemeralSecret": h(b_sk),
        "responderEphemeralPk": h(b_pk),
        "k_ab": h(k_ab),
        "k_aB": h(k_aB),
        "k_AB": h(k_AB),
        "authenticateKey": h(auth_key),
        "acceptKey": h(accept_key),
        "requesterSig": h(sig_A),
        "responderSig": h(sig_B),
        "authenticatePayload": h(auth_payload),
        "acceptPayload": h(accept_payload),
        # Each message as protobuf bytes, and as the delimited frame on the wire (uvarint length prefix).
        "messages": [h(hello_a), h(hello_b), h(auth_msg), h(accept_msg), h(ack_msg)],
        "frames": [h(delimited(m)) for m in (hello_a, hello_b, auth_msg, accept_msg, ack_msg)],
    }


def gen_handshake():
    keys = []
    transcripts = []
    for i in range(2):
        t = handshake_transcript(i)
        transcripts.append(t)
        keys.append(
            {
                "k_ab": t["k_ab"],
                "k_aB": t["k_aB"],
                "k_AB": t["k_AB"],
                "authenticateKey": t["authenticateKey"],
                "acceptKey": t["acceptKey"],
            }
        )
    write(
        "handshake-keys.json",
        "Handshake box keys: authenticateKey = SHA-256(k(a,b) || k(a,B)), acceptKey = SHA-256(k(a,b) || k(A,B)) (hashlib).",
        "PROTOCOL.md 'Contact request handshake' steps 3 and 4",
        keys,
    )
    write(
        "handshake-transcript.json",
        "Full 5-step contact request exchange with fixed ephemeral keys. k(x,Y) = libsodium crypto_box_beforenm; boxes = "
        "crypto_secretbox_easy with nonces 0x01||0*23 and 0x02||0*23; signatures over k(a,b) by libsodium. Messages use the "
        "weshnet internal/handshake protobuf schema (HelloPayload, BoxEnvelope, RequesterAuthenticatePayload with the account "
        "key as a libp2p-marshaled Ed25519 PublicKey, ResponderAcceptPayload, RequesterAcknowledgePayload); frames are "
        "uvarint-length-delimited as gogo protoio DelimitedWriter writes them.",
        "PROTOCOL.md 'Contact request handshake' (all 5 steps)",
        transcripts,
    )


# --- negative vectors ---------------------------------------------------------------------------------------

P = 2**255 - 19
D = (-121665 * pow(121666, P - 2, P)) % P


def ed_on_curve(enc: bytes) -> bool:
    y = int.from_bytes(enc, "little") & ((1 << 255) - 1)
    if y >= P:
        return False
    u = (y * y - 1) % P
    v = (D * y * y + 1) % P
    x2 = u * pow(v, P - 2, P) % P
    return x2 == 0 or pow(x2, (P - 1) // 2, P) == 1


# Small-order X25519 u-coordinates (cr.yp.to/ecdh.html#validate), plus their non-canonical aliases.
LOW_ORDER_U = [
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0100000000000000000000000000000000000000000000000000000000000000",
    "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
    "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "0000000000000000000000000000000000000000000000000000000000000080",
]

# Small-order Ed25519 points (the 8-torsion subgroup), canonical encodings.
ED_SMALL_ORDER = [
    "0100000000000000000000000000000000000000000000000000000000000000",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0000000000000000000000000000000000000000000000000000000000000080",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
]

L = 2**252 + 27742317777372353535851937790883648493


def gen_negative():
    seed = label("neg-seed")
    pk = ed_pub(seed)
    msg = b"negative vectors"
    sig = ed_sign(seed, msg)
    other_pk = ed_pub(label("neg-other"))

    bad_sigs = []
    flipped = bytearray(sig)
    flipped[0] ^= 1
    bad_sigs.append({"name": "R bit flipped", "publicKey": h(pk), "msg": h(msg), "sig": h(bytes(flipped))})
    flipped = bytearray(sig)
    flipped[40] ^= 0x10
    bad_sigs.append({"name": "S bit flipped", "publicKey": h(pk), "msg": h(msg), "sig": h(bytes(flipped))})
    bad_sigs.append({"name": "wrong message", "publicKey": h(pk), "msg": h(msg + b"!"), "sig": h(sig)})
    bad_sigs.append({"name": "wrong public key", "publicKey": h(other_pk), "msg": h(msg), "sig": h(sig)})
    s = int.from_bytes(sig[32:], "little") + L  # non-canonical S (S + L): malleability, must be rejected
    bad_sigs.append(
        {"name": "non-canonical S (S + L)", "publicKey": h(pk), "msg": h(msg), "sig": h(sig[:32] + s.to_bytes(32, "little"))}
    )
    bad_sigs.append({"name": "all-zero signature", "publicKey": h(pk), "msg": h(msg), "sig": h(b"\x00" * 64)})
    for v in bad_sigs:
        assert not ed_verify(bytes.fromhex(v["publicKey"]), bytes.fromhex(v["msg"]), bytes.fromhex(v["sig"])), v["name"]

    low_order = []
    x_sk = label("neg-x25519-secret")
    for u in LOW_ORDER_U:
        try:
            sodium.crypto_scalarmult(x_sk, bytes.fromhex(u))
            raise AssertionError("libsodium accepted low-order point " + u)
        except Exception as e:
            if isinstance(e, AssertionError):
                raise
        low_order.append({"secret": h(x_sk), "publicKey": u})

    ed_small = []
    for enc in ED_SMALL_ORDER:
        try:
            sodium.crypto_sign_ed25519_pk_to_curve25519(bytes.fromhex(enc))
            raise AssertionError("libsodium converted small-order point " + enc)
        except Exception as e:
            if isinstance(e, AssertionError):
                raise
        ed_small.append(enc)

    not_on_curve = []
    i = 0
    while len(not_on_curve) < 3:
        cand = label("neg-not-on-curve:%d" % i)
        i += 1
        if not ed_on_curve(cand):
            try:
                sodium.crypto_sign_ed25519_pk_to_curve25519(cand)
                raise AssertionError("libsodium converted a non-point")
            except Exception as e:
                if isinstance(e, AssertionError):
                    raise
            not_on_curve.append(h(cand))

    key, nonce = label("neg-box-key"), label("neg-box-nonce", 24)
    ct = secretbox(key, nonce, b"tamper with me")
    tampered = []
    for name, mutate in [
        ("tag byte flipped", lambda c: bytes([c[0] ^ 1]) + c[1:]),
        ("ciphertext byte flipped", lambda c: c[:20] + bytes([c[20] ^ 0x80]) + c[21:]),
        ("last byte flipped", lambda c: c[:-1] + bytes([c[-1] ^ 1])),
        ("truncated by one", lambda c: c[:-1]),
        ("extended by one", lambda c: c + b"\x00"),
        ("shorter than tag", lambda c: c[:15]),
        ("empty", lambda c: b""),
    ]:
        bad = mutate(ct)
        try:
            secretbox_open(key, nonce, bad)
            raise AssertionError("libsodium opened tampered box: " + name)
        except Exception as e:
            if isinstance(e, AssertionError):
                raise
        tampered.append({"name": name, "key": h(key), "nonce": h(nonce), "ciphertext": h(bad)})
    wrong_key = label("neg-box-wrong-key")
    tampered.append({"name": "wrong key", "key": h(wrong_key), "nonce": h(nonce), "ciphertext": h(ct)})
    wrong_nonce = label("neg-box-wrong-nonce", 24)
    tampered.append({"name": "wrong nonce", "key": h(key), "nonce": h(wrong_nonce), "ciphertext": h(ct)})

    write(
        "negative.json",
        "Inputs that must be rejected. badSignatures: ed25519Verify returns false (libsodium and OpenSSL both reject). "
        "lowOrderX25519: x25519 throws ERR_LOW_ORDER (libsodium crypto_scalarmult fails). smallOrderEd25519: "
        "edPublicToX25519Public throws ERR_LOW_ORDER (libsodium pk_to_curve25519 fails). notOnCurveEd25519: throws ERR_BAD_KEY. "
        "tamperedSecretbox: open throws ERR_DECRYPT. badLengths: thrown before any work with the given code.",
        "PROTOCOL.md 'Contact request handshake' (any bad signature or box aborts) and ARCHITECTURE.md input checks",
        {
            "badSignatures": bad_sigs,
            "lowOrderX25519": low_order,
            "smallOrderEd25519": ed_small,
            "notOnCurveEd25519": not_on_curve,
            "tamperedSecretbox": tampered,
            "badLengths": [
                {"fn": "ed25519PublicFromSeed", "args": [h(seed[:31])], "code": "ERR_BAD_KEY_LENGTH"},
                {"fn": "ed25519Sign", "args": [h(seed + b"\x00"), h(msg)], "code": "ERR_BAD_KEY_LENGTH"},
                {"fn": "ed25519Verify", "args": [h(pk[:31]), h(msg), h(sig)], "code": "ERR_BAD_KEY_LENGTH"},
                {"fn": "ed25519Verify", "args": [h(pk), h(msg), h(sig[:63])], "code": "ERR_BAD_SIGNATURE_LENGTH"},
                {"fn": "ed25519Verify", "args": [h(pk), h(msg), h(sig + b"\x00")], "code": "ERR_BAD_SIGNATURE_LENGTH"},
                {"fn": "x25519", "args": [h(x_sk[:16]), h(pk)], "code": "ERR_BAD_KEY_LENGTH"},
                {"fn": "x25519", "args": [h(x_sk), h(pk + b"\x00")], "code": "ERR_BAD_KEY_LENGTH"},
                {"fn": "edSeedToX25519Secret", "args": [h(b"")], "code": "ERR_BAD_KEY_LENGTH"},
                {"fn": "edPublicToX25519Public", "args": [h(pk[:30])], "code": "ERR_BAD_KEY_LENGTH"},
                {"fn": "secretboxSealWithNonce", "args": [h(key[:31]), h(nonce), h(msg)], "code": "ERR_BAD_KEY_LENGTH"},
                {"fn": "secretboxSealWithNonce", "args": [h(key), h(nonce[:23]), h(msg)], "code": "ERR_BAD_NONCE"},
                {"fn": "secretboxOpenWithNonce", "args": [h(key), h(nonce + b"\x00"), h(ct)], "code": "ERR_BAD_NONCE"},
                {"fn": "naclBoxBeforeNm", "args": [h(pk[:31]), h(x_sk)], "code": "ERR_BAD_KEY_LENGTH"},
                {"fn": "deriveNextKeys", "args": [h(key[:31]), h(pk)], "code": "ERR_BAD_KEY_LENGTH"},
                {"fn": "deriveNextKeys", "args": [h(key), h(pk + b"\x00")], "code": "ERR_BAD_KEY_LENGTH"},
                {"fn": "rendezvousPoint", "args": [h(pk), h(key[:16]), 0], "code": "ERR_BAD_KEY_LENGTH"},
                {"fn": "contactGroupKeys", "args": [h(seed), h(pk[:31])], "code": "ERR_BAD_KEY_LENGTH"},
                {"fn": "memberKeyForGroup", "args": [h(seed[:31]), h(pk)], "code": "ERR_BAD_KEY_LENGTH"},
                {"fn": "groupLinkKey", "args": [h(key), h(b"")], "code": "ERR_BAD_KEY_LENGTH"},
                {"fn": "handshakeAuthenticateKey", "args": [h(key), h(key[:31])], "code": "ERR_BAD_KEY_LENGTH"},
            ],
            "badCounters": [-1, 1.5, 2**53, "1"],
        },
    )


if __name__ == "__main__":
    gen_rendezvous()
    gen_rendezvous_go()
    gen_ratchet()
    gen_message_body()
    gen_keys()
    gen_x25519()
    gen_box()
    gen_contact_group()
    gen_member_key()
    gen_link_key()
    gen_handshake()
    gen_negative()
    print("wrote vectors to", OUT)
