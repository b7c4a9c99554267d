"""B4 known-answer tests and the field-encryption / blind-index contract (PR3, PR4)."""

import base64

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from wenming.core import crypto
from wenming.core.crypto import CryptoError

SM3_ABC = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
SM4_KEY = bytes.fromhex("0123456789abcdeffedcba9876543210")
SM4_CT = "681edf34d206965e86b3e94f536e4246"


def test_sm3_kat_with_cryptography_and_through_our_module():
    h = hashes.Hash(hashes.SM3())
    h.update(b"abc")
    assert h.finalize().hex() == SM3_ABC
    assert crypto.sm3_hex(b"abc") == SM3_ABC
    # the 64-byte GB/T 32905 example ("abcd" × 16)
    assert crypto.sm3_hex(b"abcd" * 16) == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"


def test_sm4_kat_with_cryptography():
    enc = Cipher(algorithms.SM4(SM4_KEY), modes.ECB()).encryptor()
    assert (enc.update(SM4_KEY) + enc.finalize()).hex() == SM4_CT
    dec = Cipher(algorithms.SM4(SM4_KEY), modes.ECB()).decryptor()
    assert dec.update(bytes.fromhex(SM4_CT)) + dec.finalize() == SM4_KEY


def test_field_tokens_are_sm4_gcm_under_the_configured_key(settings):
    # the token decrypts with a plain SM4-GCM decryptor built from the settings key: it really is SM4
    token = crypto.encrypt("210102199001011234")
    key_id, body = token.split(":", 1)
    assert key_id == crypto.KEY_ID == "k1"
    raw = base64.b64decode(body)
    nonce, ct, tag = raw[:12], raw[12:-16], raw[-16:]
    key = bytes.fromhex(settings.WENMING_FIELD_KEY)
    dec = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    assert (dec.update(ct) + dec.finalize()).decode() == "210102199001011234"


def _hmac_by_hand(key: bytes, msg: bytes) -> str:
    """RFC 2104 built from the SM3 hash alone (block size 64), to check our HMAC-SM3 independently."""

    def sm3(data: bytes) -> bytes:
        h = hashes.Hash(hashes.SM3())
        h.update(data)
        return h.finalize()

    if len(key) > 64:
        key = sm3(key)
    key = key.ljust(64, b"\0")
    inner = sm3(bytes(b ^ 0x36 for b in key) + msg)
    return sm3(bytes(b ^ 0x5C for b in key) + inner).hex()


def test_hmac_sm3_matches_the_textbook_construction():
    for key, msg in [(b"k" * 32, b"abc"), (b"x" * 100, b""), (bytes(range(64)), "审计".encode())]:
        assert crypto.hmac_sm3(key, msg) == _hmac_by_hand(key, msg)


def test_round_trip_and_random_nonce():
    for value in ["210102199001011234", "13812345678", "含中文的值", ""]:
        assert crypto.decrypt(crypto.encrypt(value)) == value
    assert crypto.encrypt("13812345678") != crypto.encrypt("13812345678")


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-4] + ("AAAA" if not t.endswith("AAAA") else "BBBB"),  # tag changed
        lambda t: t[:10] + ("B" if t[10] != "B" else "C") + t[11:],  # ciphertext/nonce changed
        lambda t: "k9" + t[2:],  # unknown key id
        lambda t: t.split(":", 1)[1],  # no key id
        lambda t: "k1:@@@not-base64@@@",
        lambda t: "k1:" + base64.b64encode(b"short").decode(),
    ],
)
def test_tampered_tokens_raise_crypto_error(mangle):
    token = crypto.encrypt("210102199001011234")
    with pytest.raises(CryptoError):
        crypto.decrypt(mangle(token))


def test_wrong_key_raises_crypto_error(settings):
    token = crypto.encrypt("13812345678")
    settings.WENMING_FIELD_KEY = "ff" * 16
    with pytest.raises(CryptoError):
        crypto.decrypt(token)


def test_blind_index_is_stable_keyed_and_normalised(settings):
    idx = crypto.blind_index("21010219900101123X", "id_number")
    assert len(idx) == 64 and idx == crypto.blind_index("21010219900101123X", "id_number")
    # NFKC (full-width), white space and a lower-case x give the same key
    for variant in ["２１０１０２１９９００１０１１２３ｘ", " 210102 19900101 123x ", "21010219900101123x\t"]:
        assert crypto.blind_index(variant, "id_number") == idx
    assert crypto.blind_index("210102199001011239", "id_number") != idx
    # another purpose or another key gives an unrelated index
    assert crypto.blind_index("21010219900101123X", "phone") != idx
    settings.WENMING_INDEX_KEY = "c" * 64
    assert crypto.blind_index("21010219900101123X", "id_number") != idx


def test_missing_key_is_a_configuration_error(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.WENMING_FIELD_KEY = ""
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt("x")
