"""SM2, SM3 and SM4 give the results the standards print (GB/T 32905, 32907, 32918)."""

from __future__ import annotations

from fullrecord.security import sm2, sm3, sm4


def test_sm3_gives_the_two_examples_of_gb_t_32905():
    assert sm3.sm3_hex(b"abc") == (
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )
    assert sm3.sm3_hex(b"abcd" * 16) == (
        "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
    )


def test_sm3_of_a_stream_equals_sm3_of_its_bytes():
    import io

    data = bytes(range(256)) * 9000
    assert sm3.sm3_of_stream(io.BytesIO(data)) == sm3.sm3_hex(data)


def test_sm4_encrypts_the_example_block_of_gb_t_32907():
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    key = bytes.fromhex("0123456789abcdeffedcba9876543210")
    encryptor = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()  # noqa: S305 — the vector

    assert (encryptor.update(key) + encryptor.finalize()).hex() == (
        "681edf34d206965e86b3e94f536e4246"
    )


# GB/T 32918.2-2016 Annex A.2: the example curve, key, k and signature.
EXAMPLE_CURVE = {
    "p": "8542D69E4C044F18E8B92435BF6FF7DE457283915C45517D722EDB8B08F1DFC3",
    "a": "787968B4FA32C3FD2417842E73BBFEFF2F3C848B6831D7E0EC65228B3937E498",
    "b": "63E4C6D3B23B0C849CF84241484BFE48F61D59A5B16BA06E6E12D1DA27C5249A",
    "g": "421DEBD61B62EAB6746434EBC3CC315E32220B3BADD50BDC4C4E6C147FEDD43D"
    "0680512BCBB42C07D47349D2153B70C4E5D7FDFCBFA36EA1A85841B9E46E09A2",
    "n": "8542D69E4C044F18E8B92435BF6FF7DD297720630485628D5AE74EE7C32E79B7",
}
D_A = bytes.fromhex("128B2FA8BD433C6C068C8D803DFF79792A519A55171B1B650C23661D15897263")
ID_A = b"ALICE123@YAHOO.COM"
K = "6CB28D99385C175C94F94E934817663FC176D925DD72B727260DBAAE1FB2F96F"


def test_sm2_signs_the_example_of_gb_t_32918_2():
    public = sm2.public_of(D_A, EXAMPLE_CURVE)

    assert public.upper() == (
        "0AE4C7798AA0F119471BEE11825BE46202BB79E2A5844495E97C04FF4DF2548A"
        "7C0240F88F1CD4E16352A73C17B7F16F07353E53A176D684A9FE0C6BB798E857"
    )
    assert sm2.digest_to_sign(b"message digest", public, ID_A, EXAMPLE_CURVE).hex().upper() == (
        "B524F552CD82B8B028476E005C377FB19A87E6FC682D48BB5D42E3D9B9EFFE76"
    )
    signature = sm2.sign(b"message digest", D_A, signer_id=ID_A, table=EXAMPLE_CURVE, k_hex=K)
    assert signature.upper() == (
        "40F1EC59F793D9F49E09DCEF49130D4194F79FB1EED2CAA55BACDB49C4E755D1"
        "6FC6DAC32C5D5CF10C77DFB20F7C2EB667A457872FB09EC56327A67EC7DEEBE7"
    )
    assert sm2.verify(b"message digest", signature, public, signer_id=ID_A, table=EXAMPLE_CURVE)


def test_an_sm2_signature_on_sm2p256v1_verifies_and_a_changed_one_does_not():
    private = bytes.fromhex("3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8")
    public = sm2.public_of(private)
    signature = sm2.sign(b"tree head", private)

    assert sm2.verify(b"tree head", signature, public)
    assert not sm2.verify(b"tree head!", signature, public)
    flipped = signature[:-1] + ("0" if signature[-1] != "0" else "1")
    assert not sm2.verify(b"tree head", flipped, public)
    assert not sm2.verify(b"tree head", "00" * 64, public)  # r = s = 0 is out of range


def test_a_public_key_starting_with_04_or_zeros_is_not_mangled():
    """gmssl strips any leading '0' and '4' digits of a key given to its constructor."""
    for seed in range(1, 400):
        private = seed.to_bytes(32, "big")
        public = sm2.public_of(private)
        if public.startswith(("0", "4")):
            break
    else:
        raise AssertionError("no key starting with 0 or 4 among the first 400")
    signature = sm2.sign(b"m", private)
    assert sm2.verify(b"m", signature, public)


def test_sm4_sealing_round_trips_and_refuses_a_changed_byte():
    sealed = sm4.seal("110101199003074258")

    assert sealed.startswith("sm4$") and "110101" not in sealed
    assert sm4.open_sealed(sealed) == "110101199003074258"
    assert sm4.seal("110101199003074258") != sealed  # a fresh nonce each time
    import base64

    prefix, blob = sealed.rsplit("$", 1)
    raw = bytearray(base64.b64decode(blob))
    raw[14] ^= 1
    try:
        sm4.open_sealed(f"{prefix}${base64.b64encode(bytes(raw)).decode()}")
    except sm4.DecryptionFailed:
        pass
    else:
        raise AssertionError("a changed ciphertext opened")


def test_the_blind_index_is_stable_keyed_and_ignores_case_and_spaces():
    assert sm4.blind_index("11010119900307425x") == sm4.blind_index(" 11010119900307425X ")
    assert sm4.blind_index("110101199003074258") != sm3.sm3_hex(b"110101199003074258")
    assert len(sm4.blind_index("x")) == 64


def test_masks_keep_the_first_three_and_last_four():
    assert sm4.mask("110101199003074258") == "110***********4258"
    assert sm4.mask("13800001111") == "138****1111"
    assert sm4.mask("") == ""
