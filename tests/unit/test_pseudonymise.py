import hashlib
import hmac

import pytest

from ingestion.pseudonymise import MissingKeyError, hmac_sql, load_key


@pytest.mark.parametrize("key", [b"k", b"a much longer key " * 8, b"\x00\xff binary"])
@pytest.mark.parametrize("value", ["1111111111", "  2222222222 ", "é-ü"])
def test_sql_hmac_equals_rfc_2104(con, key, value):
    got = con.execute(f"select {hmac_sql('?', key)}", [value]).fetchone()[0]
    assert got == hmac.new(key, value.strip().encode("utf-8"), hashlib.sha256).hexdigest()


def test_missing_person_key_stays_missing(con):
    assert con.execute(f"select {hmac_sql('?', b'k')}", [None]).fetchone()[0] is None
    assert con.execute(f"select {hmac_sql('?', b'k')}", ["  "]).fetchone()[0] is None


def test_key_from_environment_or_created_once_under_home(tmp_path, monkeypatch):
    monkeypatch.delenv("PRIC_PSEUDO_KEY", raising=False)
    with pytest.raises(MissingKeyError):
        load_key(tmp_path)
    created = load_key(tmp_path, create=True)
    assert load_key(tmp_path) == created and len(created) == 64
    assert oct((tmp_path / "pseudo.key").stat().st_mode & 0o777) == "0o600"
    monkeypatch.setenv("PRIC_PSEUDO_KEY", "from-env")
    assert load_key(tmp_path) == b"from-env"
