"""The shipped store kit (tmf_gateway.testing.stores) against memory, SQLite and PostgreSQL:
a third-party store runs it the same way, with its own `store_factory`."""

import subprocess
import sys
import textwrap

from tmf_gateway.testing.stores import *  # noqa: F403
from tmf_gateway.testing.stores import __all__ as KIT

THIRD_PARTY = textwrap.dedent('''
    import pytest

    from tmf_gateway.storage.memory import MemoryStore
    from tmf_gateway.testing.stores import *  # noqa: F403

    class AcmeStore(MemoryStore):
        """A store plugin of someone else's."""

    @pytest.fixture
    def store_factory():
        return AcmeStore
''')


def test_a_third_party_store_runs_the_whole_kit_with_one_import(tmp_path):
    (tmp_path / "test_acme_store.py").write_text(THIRD_PARTY)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider", "-p", "no:randomly",
         "-W", "error", str(tmp_path)],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    suite = [name for name in KIT if name.startswith("test_")]
    assert result.returncode == 0, result.stdout[-3000:]
    passed = {line.split("::")[1].split("[")[0].split()[0]
              for line in result.stdout.splitlines() if "::" in line and " PASSED" in line}
    assert passed == set(suite), result.stdout[-3000:]
